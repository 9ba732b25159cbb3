// sweep(): one scenario at several values of a field and several seeds, each point in a
// worker thread. Its points must equal single runs of the same scenarios on the main thread.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadLab, LabError } from '../../web/lab/stateless-lab.mjs';
import { sweep, sweepPoints, withValue, runInWorker, MAX_SWEEP_POINTS } from '../../web/lab/sweep.mjs';

const lab = await loadLab();
const base = { ...JSON.parse(lab.scenarioText('mm1')), warmup_s: 2, duration_s: 20 };

function runOnce(scenario) {
  const sim = lab.create(scenario);
  try {
    sim.run();
    return sim.results();
  } finally {
    sim.delete();
  }
}

test('sweep returns, for each value and seed, the results of a single run of that scenario', async () => {
  const axis = { path: 'traffic.rate_per_s', values: [30, 60, 90] };
  const seen = [];
  const points = await sweep(base, axis, { seeds: [3, 4], workers: 2, onPoint: (_, done, total) => seen.push([done, total]) });
  assert.deepEqual(points.map((p) => [p.value, p.seed]), [[30, 3], [30, 4], [60, 3], [60, 4], [90, 3], [90, 4]]);
  for (const p of points) {
    const single = runOnce({ ...base, seed: p.seed, traffic: { ...base.traffic, rate_per_s: p.value } });
    assert.deepEqual(p.results, single, `rate ${p.value}, seed ${p.seed}`);
  }
  assert.deepEqual(seen.at(-1), [6, 6], 'onPoint counts every point');
  assert.ok(points[4].results.latency_ms.mean > points[0].results.latency_ms.mean, 'latency grows with load');
});

test('sweep rejects an invalid point with a LabError naming the value, the seed and the field', async () => {
  await assert.rejects(sweep(base, { path: 'servers.count', values: [1, -3] }, { seeds: [9] }), (e) => {
    assert.ok(e instanceof LabError);
    assert.match(e.text, /^sweep point servers\.count = -3, seed 9: \$\.servers\.count: must be at least 1/);
    return true;
  });
});

test('sweep stops its workers and rejects with AbortError when cancelled', async () => {
  const controller = new AbortController();
  const long = { ...base, duration_s: 1e5, traffic: { ...base.traffic, rate_per_s: 500 } };
  const running = sweep(long, { path: 'servers.count', values: [1, 2] }, { signal: controller.signal });
  setTimeout(() => controller.abort(), 200);
  await assert.rejects(running, { name: 'AbortError' });
});

test('lab.sweep is the same sweep as the sweep function', async () => {
  const axis = { path: 'servers.count', values: [1, 2] };
  assert.deepEqual(await lab.sweep(base, axis, { seeds: [5] }), await sweep(base, axis, { seeds: [5] }));
});

test('runInWorker gives the results of a run on the main thread, and the LabError of an invalid scenario', async () => {
  assert.deepEqual(await runInWorker(base), runOnce(base));
  await assert.rejects(runInWorker({ ...base, servers: { count: 0 } }), (e) => {
    assert.ok(e instanceof LabError);
    assert.match(e.text, /^scenario: \$\.servers\.count: /);
    return true;
  });
});

test('sweepPoints refuses a bad path, empty values, bad seeds and too many points', () => {
  assert.throws(() => sweepPoints(base, { path: 'servers..count', values: [1] }), /sweep\.path/);
  assert.throws(() => sweepPoints(base, { path: 'servers.count', values: [] }), /sweep\.values/);
  assert.throws(() => sweepPoints(base, { path: 'servers.count', values: [1] }, { seeds: [-1] }), /sweep\.seeds/);
  const many = Array.from({ length: MAX_SWEEP_POINTS + 1 }, (_, i) => i + 1);
  assert.throws(() => sweepPoints(base, { path: 'servers.count', values: many }), /at most 200 points/);
  assert.throws(() => withValue({ servers: 4 }, 'servers.count', 2), /servers is not an object/);
  assert.deepEqual(withValue({ a: { b: 1 } }, 'a.c', 2), { a: { b: 1, c: 2 } });
});
