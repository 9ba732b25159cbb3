// A lesson's sweep in a real browser: "Run the sweep" runs every point in workers, then the
// panel draws the simulated points and the theory curve, and lists both in its table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { marked } from 'marked';
import { watchErrors, useLessonSite } from './lesson-browser.mjs';
import { readText, readJson } from '../lessons/lesson-files.mjs';
import { findLabBlocks } from '../../web/lesson/lab-block.mjs';

/// M/M/c mean response time by the textbook factorial form, independent of the core's
/// Erlang B recursion: {rho, w} in seconds.
function erlangC(lambda, mu, c) {
  const a = lambda / mu;
  let term = 1, sum = 0;
  for (let k = 0; k < c; ++k) { sum += term; term *= a / (k + 1); }
  const top = term * c / (c - a);
  return { rho: a / c, w: top / (sum + top) / (c * mu - lambda) + 1 / mu };
}

const env = useLessonSite();

/// The lesson's sweep block: its config and base scenario.
function sweepOf(slug) {
  const block = findLabBlocks(readText(`lessons/${slug}/lesson.md`), (md) => marked.lexer(md)).find((b) => b.config?.sweep);
  return { config: block.config, scenario: readJson(`lessons/${slug}/${block.config.scenario}`) };
}

/// Runs the page's only sweep and returns its table as [[cell text, ...], ...] with its header.
async function runSweep(page) {
  const panel = page.locator('.experiment .sweep');
  await panel.getByRole('button', { name: /Run the sweep/ }).click();
  await panel.locator('.status', { hasText: /^Done/ }).waitFor({ timeout: 240000 });
  return panel.evaluate((p) => ({
    head: [...p.querySelectorAll('.sweep-table thead th')].map((c) => c.textContent),
    rows: [...p.querySelectorAll('.sweep-table tbody tr')].map((r) => [...r.children].map((c) => c.textContent)),
    canvases: p.querySelectorAll('.sweep-plot canvas').length,
    label: p.querySelector('.sweep-plot').getAttribute('aria-label'),
  }));
}

test('Lesson sweep on Horizontal Scaling draws mean latency against the arrival rate with the Erlang C curve', async () => {
  const slug = 'horizontal-scaling';
  const { config, scenario } = sweepOf(slug);
  const page = await env.browser.context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${env.server.url}lesson.html?lesson=${slug}`);
  const table = await runSweep(page);
  assert.equal(table.canvases >= 1, true, 'the chart is drawn');
  assert.equal(table.head.at(-1), 'theory');
  assert.deepEqual(table.rows.map((r) => Number(r[0])), config.sweep.values, 'one row per swept value, in order');
  const mu = 1000 / scenario.servers.service_ms.mean;
  for (const [value, mean, range, theory] of table.rows) {
    const q = erlangC(Number(value) / scenario.servers.count, mu, scenario.servers.workers);
    const want = q.w * 1000;
    assert.ok(Math.abs(Number(theory) - want) / want < 0.01, `theory at ${value}: ${theory}, Erlang C gives ${want}`);
    const [low, high] = range.split(' – ').map(Number);
    assert.ok(low <= Number(mean) && Number(mean) <= high, `at ${value}: the mean ${mean} lies in the seeds' range ${range}`);
    // Below ρ = 0.9 three one-minute runs are close to the formula; nearer saturation they scatter.
    if (q.rho < 0.9) assert.ok(Math.abs(Number(mean) - want) / want < 0.12, `simulated mean at ${value}: ${mean} against ${want}`);
  }
  assert.match(table.label, /theory/, 'the chart\'s text alternative names the theory values');
  assert.deepEqual(errors, []);
  await page.close();
});

test('Lesson sweep on Sticky Sessions draws users logged out against the server count with 1/n theory', async () => {
  const slug = 'sticky-sessions';
  const { config, scenario } = sweepOf(slug);
  const page = await env.browser.context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${env.server.url}lesson.html?lesson=${slug}`);
  const table = await runSweep(page);
  assert.equal(table.head.at(-1), 'theory');
  assert.deepEqual(table.rows.map((r) => Number(r[0])), config.sweep.values);
  const kills = scenario.timeline.filter((a) => a.do === 'kill_server').length;
  for (const [value, mean, , theory] of table.rows) {
    assert.ok(Math.abs(Number(theory) - kills / Number(value)) < 0.01, `theory at ${value} servers: ${theory}`);
    assert.ok(Math.abs(Number(mean) - kills / Number(value)) < 0.08, `simulated share at ${value} servers: ${mean}`);
  }
  assert.deepEqual(errors, []);
  await page.close();
});
