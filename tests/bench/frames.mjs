#!/usr/bin/env node
// Benchmark of the <stateless-lab> widget in headless Debian Chromium:
//  1. frame times with about 2,000 requests in flight at 1280 px (p50/p95 of the widget's own
//     work per frame, and of the interval between animation frames);
//  2. time from navigation to the first drawn frame on localhost (median of 5 fresh loads);
//  3. gzipped size of what a page with one widget transfers (widget modules + CSS, uPlot, lab
//     wrapper, core), measured from the responses the page actually loads.
//
//   node tests/bench/frames.mjs [--seconds 6] [--json out.json]
//
// Prints a table and writes build/artifacts/bench-frames.json. Not a test: numbers vary with the machine.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launch, startServer, waitReady, artifacts, requireCore } from '../browser/widget-browser.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const seconds = Number(opt('--seconds', 6));

/// A cluster with about 2,000 requests in flight: 1,800 req/s, each spending about a second
/// in service plus 100 ms hops each way (Little's law: L = 1800 * 1.2 ~ 2,160).
const busy = {
  name: 'bench-2000-in-flight', seed: 3, duration_s: 120,
  traffic: { users: 20000, rate_per_s: 1800 },
  balancer: { policy: 'least_connections' },
  servers: { count: 8, workers: 400, queue_limit: 100000, service_ms: { dist: 'constant', mean: 1000 } },
  session: { mode: 'shared_store' },
  store: { workers: 64 },
  network: { hop_ms: 100 },
};

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const r2 = (x) => Math.round(x * 100) / 100;

requireCore();
mkdirSync(artifacts, { recursive: true });
const site = await startServer();
const b = await launch({ viewport: { width: 1280, height: 900 } });
const out = { date: new Date().toISOString(), viewport: '1280x900', chromium: b.browser.version() };

// 1. Frame times.
{
  const page = await b.context.newPage();
  await page.goto(`${site.url}embed.html?scenario=${encodeURIComponent(JSON.stringify(busy))}&controls=all&t=5`);
  await waitReady(page);
  const r = await page.evaluate(async (secs) => {
    const el = document.querySelector('stateless-lab');
    el.play();
    await new Promise((ok) => setTimeout(ok, 1500));  // fill the pipeline
    const f0 = el.renderStats.frames;
    const stamps = [];
    const dots = [];
    let run = true;
    const loop = (t) => { stamps.push(t); dots.push(el.renderStats.dots); if (run) requestAnimationFrame(loop); };
    requestAnimationFrame(loop);
    await new Promise((ok) => setTimeout(ok, secs * 1000));
    run = false;
    el.pause();
    const stats = el.renderStats;
    const n = Math.min(stats.frames - f0, stats.workMs.length);
    const end = stats.frames % stats.workMs.length;
    const work = [];
    for (let i = 0; i < n; ++i) work.push(stats.workMs[(end - n + i + stats.workMs.length * 2) % stats.workMs.length]);
    const intervals = stamps.slice(1).map((t, i) => t - stamps[i]);
    return { work, intervals, dots, inFlight: el.results().requests.in_flight };
  }, seconds);
  out.frames = {
    frames: r.work.length,
    work_ms: { p50: r2(quantile(r.work, 0.5)), p95: r2(quantile(r.work, 0.95)), max: r2(Math.max(...r.work)) },
    interval_ms: { p50: r2(quantile(r.intervals, 0.5)), p95: r2(quantile(r.intervals, 0.95)) },
    dots_drawn: { min: Math.min(...r.dots), median: quantile(r.dots, 0.5) },
    requests_in_flight_in_core: r.inFlight,
  };
  await page.locator('stateless-lab').screenshot({ path: join(artifacts, 'bench-2000-in-flight-1280.png') });
  await page.close();
}

// 2. Time to first drawn frame (fresh context each time: nothing cached).
{
  const times = { embed: [], playground: [] };
  for (let i = 0; i < 5; ++i) {
    for (const [key, path] of [['embed', 'embed.html?scenario=sticky-crash'], ['playground', 'playground.html?scenario=sticky-crash']]) {
      const ctx = await b.browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await ctx.newPage();
      await page.goto(site.url + path);
      await waitReady(page);
      times[key].push(await page.evaluate(() => document.querySelector('stateless-lab').firstFrameAt));
      await ctx.close();
    }
  }
  out.first_frame_ms = {
    embed: { median: r2(quantile(times.embed, 0.5)), all: times.embed.map(r2) },
    playground: { median: r2(quantile(times.playground, 0.5)), all: times.playground.map(r2) },
  };
}

// 3. Gzipped transfer: every response the embed page loads for one cluster widget (with its
//    charts), each gzipped as a static host would send it, grouped by where it comes from.
{
  const ctx = await b.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const bodies = [];
  page.on('response', async (r) => {
    try { bodies.push({ url: new URL(r.url()).pathname, bytes: await r.body() }); } catch { /* redirects */ }
  });
  await page.goto(`${site.url}embed.html?scenario=sticky-crash`);
  await waitReady(page);
  await page.waitForFunction(() => document.querySelector('stateless-lab').shadowRoot.querySelectorAll('.uplot').length === 4);
  await page.waitForTimeout(300);
  await ctx.close();
  // The site ships one script bundle (element, lab wrapper and uPlot) and the core's .wasm.
  const group = (u) => (u.endsWith('/stateless-lab.js') ? 'bundle' : u.endsWith('.wasm') ? 'core' : 'page');
  const kb = (n) => r2(n / 1024);
  const sums = {};
  for (const { url, bytes } of bodies) {
    const g = group(url);
    sums[g] = (sums[g] ?? 0) + gzipSync(bytes, { level: 9 }).length;
  }
  out.gzip_kb = {
    bundle: kb(sums.bundle ?? 0), core: kb(sums.core ?? 0), page: kb(sums.page ?? 0),
    total: kb(Object.values(sums).reduce((x, y) => x + y, 0)),
    files: bodies.map((x) => x.url),
  };
}

await b.close();
await site.close();
mkdirSync(artifacts, { recursive: true });
const file = opt('--json', join(artifacts, 'bench-frames.json'));
writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
const f = out.frames;
console.log(`frames (${f.frames} over ${seconds} s, ${f.dots_drawn.median} dots drawn, ${f.requests_in_flight_in_core} requests in flight in the core):`);
console.log(`  widget work per frame  p50 ${f.work_ms.p50} ms   p95 ${f.work_ms.p95} ms   max ${f.work_ms.max} ms`);
console.log(`  frame interval         p50 ${f.interval_ms.p50} ms   p95 ${f.interval_ms.p95} ms`);
console.log(`first drawn frame after navigation (median of 5): embed ${out.first_frame_ms.embed.median} ms, playground ${out.first_frame_ms.playground.median} ms`);
const g = out.gzip_kb;
console.log(`gzipped transfer of embed.html with one widget: script bundle (element, lab wrapper, uPlot) ${g.bundle} KB; core .wasm ${g.core} KB; page ${g.page} KB; total ${g.total} KB`);
console.log(`written: ${file}`);
