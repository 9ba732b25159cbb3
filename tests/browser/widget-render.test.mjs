// <stateless-lab> draws what the core reports, on every page of the site, without a console
// error; screenshots at 1280 and 360 px (light, dark, compare) are kept in build/artifacts/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { watchErrors, waitReady, screenshot, root, useSiteAndBrowser } from './widget-browser.mjs';

const env = useSiteAndBrowser();

/// Pixels of one exact colour in the diagram canvas of panel `run`.
const countColor = (page, rgb, run = 'a') => page.evaluate(([c, r]) => {
  const canvas = document.querySelector('stateless-lab').shadowRoot.querySelector(`.panel[data-run="${r}"] canvas`);
  const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
  let n = 0;
  for (let i = 0; i < data.length; i += 4) if (data[i] === c[0] && data[i + 1] === c[1] && data[i + 2] === c[2] && data[i + 3] === 255) n++;
  return n;
}, [rgb, run]);

test('<stateless-lab> draws the cluster, its numbers and four live charts', async () => {
  const page = await env.browser.context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${env.site.url}playground.html?scenario=sticky-crash&speed=4`);
  await waitReady(page);
  await page.evaluate(() => document.querySelector('stateless-lab').play());
  await page.waitForFunction(() => document.querySelector('stateless-lab').state.time > 2.5);
  const out = await page.evaluate(() => {
    const el = document.querySelector('stateless-lab');
    el.pause();
    const sr = el.shadowRoot;
    const canvas = sr.querySelector('.panel canvas');
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
    return {
      painted: painted / (data.length / 4), dots: el.renderStats.dots, cssW: canvas.clientWidth, w: canvas.width,
      dpr: devicePixelRatio, charts: sr.querySelectorAll('.uplot').length,
      completed: Number(sr.querySelector('.stats li[data-key="completed"]').dataset.value),
      label: canvas.getAttribute('aria-label'), legend: sr.querySelectorAll('.legend li').length,
    };
  });
  assert.ok(out.painted > 0.02, `the diagram covers ${(out.painted * 100).toFixed(1)}% of the canvas`);
  assert.ok(out.dots > 10, `${out.dots} requests drawn`);
  assert.equal(out.w, Math.round(out.cssW * out.dpr), 'canvas backing store follows devicePixelRatio');
  assert.equal(out.charts, 4);
  assert.ok(out.completed > 300);
  assert.match(out.label, /4 servers/);
  assert.ok(out.legend >= 5);
  // Blue circles for ok requests (Okabe-Ito #0072B2) are on the canvas.
  assert.ok(await countColor(page, [0, 0x72, 0xb2]) > 20);
  assert.deepEqual(errors, []);
  await page.close();
});

test('<stateless-lab> draws session misses in their own colour once a sticky server dies', async () => {
  const page = await env.browser.context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${env.site.url}embed.html?scenario=sticky-crash&speed=2`);
  await waitReady(page);
  const miss = [0xb3, 0x6b, 0x00];  // miss colour, light theme
  await page.evaluate(() => document.querySelector('stateless-lab').seek(29));
  assert.equal(await countColor(page, miss), 0, 'no misses before the crash at 30 s');
  await page.evaluate(() => document.querySelector('stateless-lab').play());
  await page.waitForFunction(() => document.querySelector('stateless-lab').state.time > 32);
  await page.evaluate(() => document.querySelector('stateless-lab').pause());
  assert.ok(await countColor(page, miss) > 10, 'orange triangles: users logged out');
  await screenshot(page, 'widget-sticky-crash-1280', { fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test('<stateless-lab> screenshots at 1280 and 360 px, light and dark, one and two clusters', async () => {
  const shots = [
    { name: 'widget-playground-1280-light', path: 'playground.html?scenario=sticky-crash&t=31', width: 1280, scheme: 'light' },
    { name: 'widget-playground-360-light', path: 'playground.html?scenario=sticky-crash&t=31', width: 360, scheme: 'light' },
    { name: 'widget-compare-1280-dark', path: 'playground.html?scenario=sticky-crash&compare=shared_store&t=31', width: 1280, scheme: 'dark' },
    { name: 'widget-compare-360-dark', path: 'embed.html?scenario=token-revocation&compare=shared_store&t=20', width: 360, scheme: 'dark' },
    { name: 'widget-embed-1280-light', path: 'embed.html?scenario=scale-out-modulo-vs-consistent&t=25', width: 1280, scheme: 'light' },
  ];
  for (const s of shots) {
    const context = await env.browser.browser.newContext({ viewport: { width: s.width, height: 900 }, colorScheme: s.scheme, deviceScaleFactor: s.width < 400 ? 2 : 1 });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${env.site.url}${s.path}&speed=2`);
    await waitReady(page);
    await page.evaluate(() => document.querySelector('stateless-lab').play());
    await page.waitForFunction((t) => document.querySelector('stateless-lab').state.time > t, Number(new URL(env.site.url + s.path).searchParams.get('t')) + 1);
    await page.evaluate(() => document.querySelector('stateless-lab').pause());
    await page.waitForTimeout(100);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
    assert.ok(wide <= 0, `${s.name}: page overflows by ${wide}px`);
    await screenshot(page, s.name, { fullPage: true });
    assert.deepEqual(errors, [], s.name);
    await context.close();
  }
});

test('every page of the site loads without a console error', async () => {
  const pages = readdirSync(join(root, 'web')).filter((f) => f.endsWith('.html')).map((f) => (f === 'embed.html' ? 'embed.html?scenario=sticky-crash' : f));
  const index = join(root, 'lessons/index.json');
  if (existsSync(index)) {
    // One lesson page with its embedded widgets (the lesson suite checks every lesson's content).
    const { lessons = [] } = JSON.parse(readFileSync(index, 'utf8'));
    const sticky = lessons.find((l) => l.slug === 'sticky-sessions') ?? lessons[0];
    if (sticky) pages.push(`lesson.html?lesson=${sticky.slug}`);
  }
  const { loadLab } = await import('../../web/lab/stateless-lab.mjs');
  const lab = await loadLab();
  for (const s of lab.scenarios()) {
    if (!JSON.parse(lab.scenarioText(s.name)).kind || JSON.parse(lab.scenarioText(s.name)).kind === 'cluster') pages.push(`embed.html?scenario=${s.name}&autoplay=1`);
  }
  const problems = [];
  const visit = async (path) => {
    const page = await env.browser.context.newPage();
    const errors = watchErrors(page);
    await page.goto(env.site.url + path, { waitUntil: 'load' });
    await page.waitForFunction(() => [...document.querySelectorAll('stateless-lab')].every((el) => typeof el.firstFrameAt === 'number' || el.error), null, { timeout: 15000 });
    await page.waitForTimeout(300);
    const widgetErrors = await page.evaluate(() => [...document.querySelectorAll('stateless-lab')].flatMap((el) => el.errors ?? []));
    for (const e of errors) problems.push(`${path}: ${e}`);
    for (const e of widgetErrors) problems.push(`${path}: widget: ${e.what} (${e.where}): ${e.message}`);
    await page.close();
  };
  // Three tabs at a time: most of a page's time is spent waiting.
  const queue = [...pages];
  await Promise.all([1, 2, 3].map(async () => { while (queue.length) await visit(queue.shift()); }));
  assert.deepEqual(problems, []);
  assert.ok(pages.length >= 4);
});
