// The stream view in Chromium under a strict Content-Security-Policy: it draws a stream scenario
// without a console error, live crashes show lost windows without checkpoints and none with
// exactly-once checkpoints, it works by keyboard alone and with reduced motion, axe-core finds
// no serious problem (light and dark), and screenshots at 1280 and 360 px go to build/artifacts/.
// The page is tests/browser/fixtures/stream-view.html (+ stream-view.mjs), served with the site.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.mjs';
import { siteWithFixtures, injectAxe } from './test-site.mjs';
import { root, chromiumArgs, chromiumPath, requireCore, watchErrors, screenshot } from './widget-browser.mjs';

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
  + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";

let site;
let testSite;
let context;
let profile;

before(async () => {
  requireCore();
  testSite = await siteWithFixtures();
  site = await serve({ port: 0, host: '127.0.0.1', root: testSite.dir, csp: CSP });
  profile = mkdtempSync(join(tmpdir(), 'sl-stream-view-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(), args: chromiumArgs, headless: true, viewport: { width: 1280, height: 900 },
  });
});
after(async () => {
  await context?.close().catch(() => {});
  await new Promise((ok) => { if (!site) ok(); else { site.server.closeAllConnections?.(); site.server.close(() => ok()); } });
  if (profile) rmSync(profile, { recursive: true, force: true });
  testSite?.remove();
});

/// Opens the test page with a stream scenario and waits for the first frame.
async function open(scenario, { width = 1280, query = '', media = {} } = {}) {
  const page = await context.newPage();
  const errors = watchErrors(page);
  page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) errors.push(`csp: ${m.text()}`); });
  await page.setViewportSize({ width, height: 900 });
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference', ...media });
  await page.goto(`${site.url}test-fixtures/stream-view.html?scenario=${scenario}${query}`);
  await page.waitForFunction(() => window.streamViewError || (window.streamView && window.streamView.firstFrameAt !== null), null, { timeout: 20000 });
  assert.equal(await page.evaluate(() => window.streamViewError ?? null), null);
  return { page, errors };
}

/// A number of the view's stats (data-value of li[data-key=key]).
const stat = (page, key) => page.evaluate((k) => {
  const li = document.querySelector('.stateless-lab-stream').shadowRoot.querySelector(`.stats li[data-key="${k}"]`);
  return li ? Number(li.dataset.value) : null;
}, key);

/// Pixels of one exact colour on the view's diagram.
const countColor = (page, rgb) => page.evaluate((c) => {
  const canvas = document.querySelector('.stateless-lab-stream').shadowRoot.querySelector('.panel canvas');
  const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
  let n = 0;
  for (let i = 0; i < data.length; i += 4) if (data[i] === c[0] && data[i + 1] === c[1] && data[i + 2] === c[2] && data[i + 3] === 255) n++;
  return n;
}, rgb);

const VERMILLION = [0xd5, 0x5e, 0x00];  // lost state (light theme)
const ORANGE = [0xb3, 0x6b, 0x00];      // replayed (light theme)

test('StreamView draws a stream scenario, its numbers, legend and charts under a strict CSP without a console error', async () => {
  const { page, errors } = await open('stream-stateless-crash', { query: '&speed=4' });
  await page.evaluate(() => window.streamView.seek(20));
  await page.evaluate(() => window.streamView.play());
  await page.waitForFunction(() => window.streamView.state.time > 25);
  const out = await page.evaluate(() => {
    const v = window.streamView;
    v.pause();
    const sr = document.querySelector('.stateless-lab-stream').shadowRoot;
    const canvas = sr.querySelector('.panel canvas');
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
    return {
      painted: painted / (data.length / 4), dots: v.renderStats.dots, label: canvas.getAttribute('aria-label'),
      charts: sr.querySelectorAll('.uplot').length, legend: sr.querySelectorAll('.legend li').length,
      workers: [...sr.querySelectorAll('.servers button')].map((b) => b.textContent),
      narration: [...sr.querySelectorAll('.narration li')].map((li) => li.textContent).join('\n'),
      events: window.streamEvents.map((e) => e.type),
    };
  });
  assert.ok(out.painted > 0.05, `the diagram covers ${(out.painted * 100).toFixed(1)}% of the canvas`);
  assert.ok(out.dots > 20, `${out.dots} events drawn`);
  assert.match(out.label, /6 partitions on 3 workers \(worker 1 down\)/);
  assert.equal(out.charts, 3);
  assert.ok(out.legend >= 5);
  assert.deepEqual(out.workers.map((t) => t.split(':')[0]), ['Crash W0', 'Restart W1', 'Crash W2']);
  assert.match(out.narration, /worker 1 crashed: partitions 1 and 4 wait 2 s for failover; no state to restore, but its input since commit 4 will be replayed and its output since then will be emitted again/);
  assert.match(out.narration, /failover: partition 1 moves to worker \d and replays \d+ events from the last commit/);
  assert.match(out.narration, /\d+ events emitted downstream a second time by the replay/);
  assert.ok(out.events.includes('ready') && out.events.includes('state'), 'stateless-lab:ready and :state reach the page');
  assert.ok(await stat(page, 'in') > 4000);
  assert.ok(await stat(page, 'duplicates') > 0, 'the output replayed since the commit is counted as emitted twice');
  assert.ok(await countColor(page, [0x00, 0x72, 0xb2]) > 30, 'blue event circles are on the canvas');
  await screenshot(page, 'stream-view-1280', { fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test('StreamView: crashing a worker live without checkpoints loses its open windows, marked on the picture and told in words', async () => {
  const { page, errors } = await open('stream-window-no-checkpoint');
  await page.evaluate(() => window.streamView.seek(12.5));
  assert.equal(await stat(page, 'lost'), 0, 'nothing lost before the crash');
  const crash = page.locator('.stateless-lab-stream').getByRole('button', { name: /^Crash W0/ });
  await crash.click();
  await page.waitForFunction(() => /worker 0 crashed/.test(document.querySelector('.stateless-lab-stream').shadowRoot.querySelector('[aria-live]').textContent));
  const told = await page.evaluate(() => document.querySelector('.stateless-lab-stream').shadowRoot.querySelector('[aria-live]').textContent);
  assert.match(told, /worker 0 crashed: partitions 0 and 3 wait 2 s for failover; [1-9]\d* open windows lost/);
  assert.ok(await countColor(page, VERMILLION) > 20, 'crosses mark the lost state on the crashed worker');
  await page.evaluate(() => window.streamView.seek(20));  // before the scenario's own crash at 22.5 s
  const lost = await stat(page, 'lost');
  assert.ok(lost > 0, `${lost} windows lost`);
  assert.equal(await stat(page, 'correct') + lost + await stat(page, 'wrong') + await stat(page, 'missing'), await stat(page, 'reference'));
  const state = await page.evaluate(() => window.streamView.state);
  assert.deepEqual(state.actions, [{ do: 'kill_worker', worker: 0, at_s: 12.5 }]);
  assert.deepEqual(errors, []);
  await page.close();
});

test('StreamView: with exactly-once checkpoints a live crash replays events and ends with no wrong or lost window', async () => {
  const { page, errors } = await open('stream-window-exactly-once', { query: '&speed=2' });
  await page.evaluate(() => window.streamView.seek(12.5));
  await page.locator('.stateless-lab-stream').getByRole('button', { name: /^Crash W0/ }).click();
  await page.evaluate(() => window.streamView.seek(14.4));  // failover at 14.5 s, then the replay
  await page.evaluate(() => window.streamView.step(0.3));
  assert.ok(await countColor(page, ORANGE) > 10, 'replayed events are drawn as orange triangles');
  const told = await page.evaluate(() => document.querySelector('.stateless-lab-stream').shadowRoot.querySelector('.narration ul').textContent);
  assert.match(told, /partition 0 moves to worker \d and replays \d+ events from the last commit/);
  await page.evaluate(() => window.streamView.seek(20));
  assert.ok(await stat(page, 'replayed') > 0);
  assert.equal(await stat(page, 'wrong'), 0);
  assert.equal(await stat(page, 'lost'), 0);
  const r = await page.evaluate(() => window.streamView.runToEnd());
  assert.equal(r.windows.wrong, 0);
  assert.equal(r.windows.lost, 0);
  assert.equal(r.events.duplicates, 0, 'exactly-once output reaches downstream once');
  assert.equal(await stat(page, 'correct'), r.windows.reference);
  assert.deepEqual(errors, []);
  await page.close();
});

/// The focused element inside the view: its text and focus outline.
const focused = (page) => page.evaluate(() => {
  const a = document.querySelector('.stateless-lab-stream').shadowRoot.activeElement;
  if (!a) return null;
  const cs = getComputedStyle(a);
  const label = a.labels?.[0]?.textContent ?? a.getAttribute('aria-label') ?? a.textContent;
  return { label: label.trim(), outline: cs.outlineStyle, width: parseFloat(cs.outlineWidth) };
});

async function tabTo(page, pred, max = 40) {
  for (let i = 0; i < max; ++i) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (f) assert.ok(f.outline !== 'none' && f.width >= 2, `focus is visible on "${f.label}"`);
    if (f && pred(f)) return f;
  }
  throw new Error('never reached the control by Tab');
}

test('StreamView can be driven by keyboard alone: play, pause, step, crash and restart a worker', async () => {
  const { page, errors } = await open('stream-window-at-least-once');
  const st = () => page.evaluate(() => window.streamView.state);
  await tabTo(page, (f) => f.label === 'Play');
  await page.keyboard.press('Enter');
  assert.equal((await st()).playing, true);
  await page.keyboard.press('k');
  assert.equal((await st()).playing, false, 'K toggles play/pause');
  const t0 = (await st()).time;
  await page.keyboard.press('.');
  assert.ok((await st()).time > t0, '. steps');
  await tabTo(page, (f) => /^Crash W2/.test(f.label));
  await page.keyboard.press('Enter');
  assert.equal((await focused(page)).label.startsWith('Restart W2'), true, 'focus stays on the button, now Restart');
  await page.keyboard.press('Space');
  const s = await st();
  assert.deepEqual(s.actions.map((a) => `${a.do}:${a.worker}`), ['kill_worker:2', 'restart_worker:2']);
  assert.match((await focused(page)).label, /^Crash W2/);
  assert.deepEqual(errors, []);
  await page.close();
});

/// Plays for `ms` and samples the drawing figures.
const sampleMotion = (page, ms) => page.evaluate(async (duration) => {
  const v = window.streamView;
  v.play();
  const d0 = v.renderStats.draws;
  let maxMoving = 0;
  let maxDots = 0;
  const end = performance.now() + duration;
  while (performance.now() < end) {
    await new Promise((ok) => setTimeout(ok, 50));
    maxMoving = Math.max(maxMoving, v.renderStats.moving);
    maxDots = Math.max(maxDots, v.renderStats.dots);
  }
  v.pause();
  return { draws: v.renderStats.draws - d0, maxMoving, maxDots };
}, ms);

test('StreamView with prefers-reduced-motion changes the picture step-wise, with no event between two places', async () => {
  const { page, errors } = await open('stream-stateless-crash', { query: '&speed=2', media: { reducedMotion: 'reduce' } });
  const reduced = await sampleMotion(page, 2000);
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  const normal = await sampleMotion(page, 1000);
  assert.equal(reduced.maxMoving, 0, 'no event drawn between two places');
  assert.ok(reduced.maxDots > 0, 'events are still shown, at their places');
  assert.ok(reduced.draws <= 10, `${reduced.draws} pictures in 2 s`);
  assert.ok(normal.maxMoving > 0 && normal.draws > 12, `normal motion animates (${normal.draws} frames in 1 s)`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('StreamView at 360 px fits the screen, crashes a worker tapped in the picture, and passes axe-core in light and dark', async () => {
  const report = [];
  for (const [scheme, width, scenario] of [['dark', 360, 'stream-window-exactly-once'], ['light', 1280, 'stream-window-no-checkpoint']]) {
    const { page, errors } = await open(scenario, { width, media: { colorScheme: scheme } });
    await page.evaluate(() => window.streamView.seek(24.8));
    if (width === 360) {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
      await page.locator('.stateless-lab-stream .panel canvas').scrollIntoViewIfNeeded();
      const point = await page.evaluate(() => {
        const r = document.querySelector('.stateless-lab-stream').shadowRoot.querySelector('.panel canvas').getBoundingClientRect();
        for (let y = r.top + 2; y < r.bottom; y += 4) {
          for (let x = r.left + 2; x < r.right; x += 4) if (window.streamView.debugHit(x, y)?.type === 'worker' && window.streamView.debugHit(x, y).id === 2) return { x: x + 4, y: y + 4 };
        }
        return null;
      });
      assert.ok(point, 'worker 2 is in the picture');
      await page.mouse.click(point.x, point.y);
      assert.deepEqual((await page.evaluate(() => window.streamView.state)).actions.map((a) => a.do + a.worker), ['kill_worker2']);
      await screenshot(page, 'stream-view-360-dark', { fullPage: true });
    }
    await injectAxe(page);
    const violations = await page.evaluate(async () => {
      // eslint-disable-next-line no-undef
      const r = await axe.run(document, { resultTypes: ['violations'] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
    });
    for (const v of violations) if (v.impact === 'serious' || v.impact === 'critical') report.push({ scheme, width, ...v });
    assert.deepEqual(errors, []);
    await page.close();
  }
  assert.deepEqual(report, []);
});

// <stateless-lab> hands stream scenarios to this view once its integration is applied (until
// then the element refuses them with a message, and this test is skipped, saying so).
const elementSource = readFileSync(join(root, 'web/widget/stateless-lab-element.mjs'), 'utf8');
const integrated = elementSource.includes('./stream-view.mjs');

test('<stateless-lab> with a stream scenario shows the stream view and hands it its methods and events',
  { skip: !integrated && 'web/widget/stateless-lab-element.mjs does not mount the stream view yet' }, async () => {
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${site.url}embed.html?scenario=stream-window-no-checkpoint&speed=2`);
    await page.waitForFunction(() => { const el = document.querySelector('stateless-lab'); return el && (typeof el.firstFrameAt === 'number' || el.error); }, null, { timeout: 20000 });
    const out = await page.evaluate(async () => {
      const el = document.querySelector('stateless-lab');
      const events = [];
      for (const t of ['state', 'action']) el.addEventListener(`stateless-lab:${t}`, () => events.push(t));
      // A seek resolves once it is there (a far one runs in slices between tasks).
      await el.seek(12.5);
      const answer = await el.inject({ do: 'kill_worker', worker: 0 });
      await el.seek(20);
      return {
        error: el.error, answer, lost: el.results().windows.lost, actions: el.state.actions, events: [...new Set(events)],
        canvas: !!el.shadowRoot.querySelector('.stream-view .panel canvas'),
        refused: (await el.inject({ do: 'kill_worker', worker: 9 })).ok,
      };
    });
    assert.equal(out.error, null);
    assert.ok(out.canvas, 'the stream view is inside the element');
    assert.deepEqual(out.answer, { ok: true });
    assert.ok(out.lost > 0, `${out.lost} windows lost`);
    assert.deepEqual(out.actions, [{ do: 'kill_worker', worker: 0, at_s: 12.5 }]);
    assert.deepEqual(out.events.sort(), ['action', 'state']);
    assert.equal(out.refused, false);
    assert.deepEqual(errors, []);
    await page.close();
  });
