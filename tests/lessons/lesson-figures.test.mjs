// Figures a lesson quotes from the simulation are the simulation's: each is run again here on
// the seeds the text names, and the text must state the range those runs give.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readText, readJson, runScenario } from './lesson-files.mjs';

const seeds = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
/// "a to b" for the values, to 0.1, as the lessons write a range.
const range = (values) => `${Math.min(...values).toFixed(1)} to ${Math.max(...values).toFixed(1)}`;
/// The text with its line breaks as spaces, so a quoted phrase may wrap.
const prose = (slug) => readText(`lessons/${slug}/lesson.md`).replace(/\s+/g, ' ');

test('Lesson stateless-vs-stateful quotes the median latencies of its crash scenarios over seeds 21 to 26', () => {
  const dir = 'lessons/stateless-vs-stateful/scenarios';
  const store = readJson(`${dir}/kill-one-shared-store.json`);
  const sticky = readJson(`${dir}/kill-one-sticky.json`);
  const storeSticky = { ...store, balancer: { ...store.balancer, policy: sticky.balancer.policy } };
  const median = (scenario) => seeds(21, 26).map((seed) => runScenario({ ...scenario, seed }).results.latency_ms.p50);
  const text = prose('stateless-vs-stateful');
  const a = `Over six seeds (21 to 26) its median was ${range(median(store))} ms against ${range(median(sticky))} ms`;
  assert.ok(text.includes(a), `the text says: "${a}"`);
  const b = `the store version is the slower one: a median of ${range(median(storeSticky))} ms over the same six seeds`;
  assert.ok(text.includes(b), `the text says: "${b}"`);
});

test('Lesson stateless-vs-stateful quotes the mean latency of round robin and of a random split without sessions', () => {
  const base = readJson('lessons/stateless-vs-stateful/scenarios/kill-one-sticky.json');
  const plain = { ...base, session: { mode: 'none' } };
  delete plain.timeline;
  const mean = (policy) => {
    const v = seeds(21, 26).map((seed) => runScenario({ ...plain, seed, balancer: { policy } }).results.latency_ms.mean);
    return v.reduce((s, x) => s + x, 0) / v.length;
  };
  const text = prose('stateless-vs-stateful');
  const m = text.match(/averages about (\d+) ms with round robin and about (\d+) ms with a random split/);
  assert.ok(m, 'the text quotes both means');
  assert.equal(Number(m[1]), Math.round(mean('round_robin')));
  assert.equal(Number(m[2]), Math.round(mean('random')));
});
