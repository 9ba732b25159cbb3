// The page stays responsive whatever link it is opened with: a far seek, a replay of 1e8
// requests or a run to the end goes in slices between frames, and the page's start-up and the
// view's building (its DOM, then one chart per task) are cut into tasks too, so no
// main-thread task lasts over 200 ms (Long Tasks API) from the first byte on. The test runs
// alone (RUN_SERIAL), so the times are the page's own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { useSiteAndBrowser } from './widget-browser.mjs';

const env = useSiteAndBrowser();
const LIMIT_MS = 200;

const q = (o) => encodeURIComponent(JSON.stringify(o));
const links = {
  'a zero-traffic run of 1e6 s whose link sets the rate to 1e6/s and seeks to the end':
    `embed.html?scenario=${q({ duration_s: 1000000, series_interval_s: 10, traffic: { rate_per_s: 0 } })}&actions=0:set_rate:1000000&t=1000000`,
  'a link to the end of a run of 1e8 requests':
    `embed.html?scenario=${q({ duration_s: 100, series_interval_s: 1, traffic: { rate_per_s: 1000000 } })}&t=100`,
  'a link to the end of a stream run at its work limit (2e6 events through 16 operators on 64 partitions)':
    `embed.html?scenario=${q(JSON.parse(readFileSync(new URL('../core/worst-case/stream.json', import.meta.url), 'utf8')))}&t=1000`,
  'two compared clusters of 1e7 requests each, linked at their end':
    `embed.html?scenario=${q({ duration_s: 100, traffic: { rate_per_s: 100000 }, balancer: { policy: 'sticky_cookie' }, session: { mode: 'server_memory' }, servers: { count: 16, workers: 4 } })}&compare=shared_store&t=100`,
};

async function watch(page) {
  await page.addInitScript(() => {
    window.longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.longTasks.push([Math.round(e.startTime), Math.round(e.duration)]);
    }).observe({ type: 'longtask', buffered: true });
  });
}

/// Durations of the page's long tasks so far, ms.
async function longTasks(page) {
  return (await page.evaluate(() => window.longTasks)).map(([, ms]) => ms);
}

for (const [what, path] of Object.entries(links)) {
  test(`<stateless-lab> opened with ${what} never blocks the page for over ${LIMIT_MS} ms`, async () => {
    const page = await env.browser.context.newPage();
    await watch(page);
    await page.goto(env.site.url + path);
    await page.waitForTimeout(6000);
    const long = await longTasks(page);
    const state = await page.evaluate(() => {
      const el = document.querySelector('stateless-lab');
      return { error: el.error, errors: el.errors, loading: el.shadowRoot.querySelector('.loading')?.textContent ?? null, ready: typeof el.firstFrameAt === 'number' };
    });
    assert.ok(Math.max(0, ...long) <= LIMIT_MS, `long tasks: ${long.join(', ')} ms`);
    // Either the link was refused at once, or the widget shows its progress, or it is done.
    assert.ok(state.error || state.errors.length || /Replaying the link: \d+%/.test(state.loading ?? '') || state.ready,
              `the widget says what it is doing: ${JSON.stringify(state)}`);
    await page.close();
  });
}

test('<stateless-lab> jumps far ahead in slices with a progress bar that tells how far it has got and Cancel, and stays where Cancel left it', async () => {
  const page = await env.browser.context.newPage();
  await watch(page);
  await page.goto(`${env.site.url}embed.html?scenario=${q({ duration_s: 100, traffic: { rate_per_s: 500000 } })}`);
  await page.waitForFunction(() => typeof document.querySelector('stateless-lab').firstFrameAt === 'number', null, { timeout: 30000 });
  const lab = page.locator('stateless-lab');
  assert.equal(await lab.locator('.panel-title').textContent(), 'Cluster scenario', 'a scenario written inline without a title is not titled with its JSON');
  await lab.evaluate((el) => { window.seekDone = el.seek(100); });
  await lab.locator('.busy progress').waitFor({ timeout: 10000 });
  // The bar tells how far the jump has got once the worker has said.
  const bar = lab.locator('.busy progress[value]');
  await bar.waitFor({ timeout: 10000 });
  const first = Number(await bar.evaluate((b) => b.value));
  await page.waitForTimeout(500);
  const later = Number(await bar.evaluate((b) => b.value));
  assert.ok(first > 0 && later >= first && later < 1, `the bar moved from ${first} to ${later}`);
  await lab.getByRole('button', { name: 'Cancel' }).click();
  assert.equal(await page.evaluate(() => window.seekDone), false, 'the cancelled seek resolves to false');
  const t = await lab.evaluate((el) => el.state.time);
  assert.ok(t > 0 && t < 100, `stopped part way (${t} s)`);
  assert.ok(t >= later * 100 - 0.5, `stopped at ${t} s, at least as far as the bar said (${later})`);
  assert.equal(await lab.evaluate((el) => el.shadowRoot.querySelector('.busy').hidden), true);
  const long = await longTasks(page);
  assert.ok(Math.max(0, ...long) <= LIMIT_MS, `long tasks: ${long.join(', ')} ms`);
  await page.close();
});
