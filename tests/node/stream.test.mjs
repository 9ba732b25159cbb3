// The stream model (scenario "kind": "stream") through the JS API on the WebAssembly build.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { LabError, StreamFlag, StreamKind, StreamSimulation, loadLab } from '../../web/lab/stateless-lab.mjs';
import { runNative } from './support.mjs';
// The view's copy of the trace flags includes DUPLICATE and DEDUPLICATED (16, 32).
import { StreamFlag as ViewFlag } from '../../web/widget/stream-palette.mjs';

const lab = await loadLab();

/** A small keyed windowed count; worker 1 crashes mid-window unless a timeline says otherwise. */
function streamScenario(overrides = {}) {
  return {
    kind: 'stream', seed: 5, duration_s: 20,
    source: { rate_per_s: 150, keys: 12, value_max: 50 },
    partitions: 4, workers: 2,
    processing: { event_ms: { dist: 'constant', mean: 1 }, failover_s: 1 },
    pipeline: [{ op: 'filter', field: 'value', min: 5 }, { op: 'window_count', window_s: 2 }],
    checkpoint: { mode: 'none' },
    ...overrides,
  };
}

test('lab.scenarios lists the registered stream scenarios with kind stream', () => {
  const stream = lab.scenarios().filter((s) => s.kind === 'stream');
  assert.ok(stream.length >= 1);
  for (const s of stream) {
    assert.equal(JSON.parse(lab.scenarioText(s.name)).kind, 'stream');
    assert.ok(s.title.length > 0);
  }
  assert.ok(lab.scenarios().filter((s) => s.kind === 'cluster').length >= 6);
});

test('lab.create returns a StreamSimulation for kind stream, with the native CLI results', () => {
  for (const { name } of lab.scenarios().filter((s) => s.kind === 'stream')) {
    const sim = lab.create(lab.scenarioText(name));
    assert.ok(sim instanceof StreamSimulation);
    assert.equal(sim.kind, 'stream');
    sim.run();
    assert.deepEqual(sim.results(), JSON.parse(runNative(['run', '--builtin', name]).stdout), name);
    sim.delete();
  }
});

test('StreamSimulation.trace accounts for every event of a run in typed arrays', () => {
  const sim = lab.create(streamScenario({ timeline: [{ at_s: 7.5, do: 'kill_worker', worker: 1 }] }),
                         { trace: true, traceLimit: 1 << 20 });
  const counts = new Map();
  let filtered = 0, before = 0;
  while (!sim.finished) {
    sim.step(0.1);
    const t = sim.trace();
    assert.equal(t.dropped, 0);
    for (const f of ['kind', 'worker', 'partition', 'key', 'seq', 'value', 'detail', 'flags', 't0', 't1']) {
      assert.equal(t[f].length, t.count, f);
    }
    assert.ok(t.kind instanceof Uint8Array && t.seq instanceof Uint32Array && t.value instanceof Float64Array);
    for (let i = 0; i < t.count; ++i) {
      counts.set(t.kind[i], (counts.get(t.kind[i]) ?? 0) + 1);
      if (t.kind[i] === StreamKind.PROCESS && (t.flags[i] & StreamFlag.FILTERED)) ++filtered;
      assert.ok(t.t1[i] >= t.t0[i] && t.t1[i] <= sim.now + 1e-9 && t.t0[i] >= before - 1e-9 - 0.1);
    }
    before = sim.now;
  }
  const r = sim.results();
  assert.ok(r.events.in > 2000);
  assert.equal(counts.get(StreamKind.ARRIVE), r.events.in);
  assert.equal(counts.get(StreamKind.PROCESS), r.events.processed);
  assert.equal(filtered, r.events.filtered);
  assert.equal(counts.get(StreamKind.CRASH), 1);
  assert.equal(counts.get(StreamKind.WINDOW), r.windows.emitted);
  sim.delete();
});

test('StreamSimulation.trace flags every output a replay emits again, or the idempotent sink drops, as results count them', () => {
  for (const [name, flag, counted, zero] of [
    ['stream-stateless-crash', ViewFlag.DUPLICATE, 'duplicates', 'deduplicated'],
    ['stream-stateless-idempotent-sink', ViewFlag.DEDUPLICATED, 'deduplicated', 'duplicates'],
  ]) {
    const sim = lab.create(lab.scenarioText(name), { trace: true, traceLimit: 1 << 20 });
    let flagged = 0;
    while (!sim.finished) {
      sim.step(0.5);
      const t = sim.trace();
      for (let i = 0; i < t.count; ++i) if (t.kind[i] === StreamKind.PROCESS && (t.flags[i] & flag)) ++flagged;
    }
    const r = sim.results();
    assert.ok(r.events[counted] > 0, `${name}: the crash at 22.5 s replays output since the commit at 20 s`);
    assert.equal(flagged, r.events[counted], name);
    assert.equal(r.events[zero], 0, name);
    sim.delete();
  }
});

test('StreamSimulation.apply kill_worker and restart_worker move partitions and lose open windows', () => {
  const sim = lab.create(streamScenario(), { trace: true });
  sim.runUntil(5.5);
  assert.deepEqual(sim.workers().map((w) => w.alive), [true, true]);
  assert.equal(sim.workers().reduce((n, w) => n + w.partitions, 0), 4);
  assert.deepEqual(sim.apply({ do: 'kill_worker', worker: 1 }), { ok: true });
  const t = sim.trace();
  assert.ok(Array.from(t.kind).includes(StreamKind.CRASH));
  assert.equal(sim.workers()[1].alive, false);
  sim.runUntil(8);  // past failover_s: worker 0 owns everything
  assert.equal(sim.workers()[0].partitions, 4);
  assert.ok(sim.partitions().every((p) => p.owner === 0));
  assert.ok(sim.lostWindows().length > 0, 'open windows of the crashed worker are lost');
  const bad = sim.apply({ do: 'kill_worker', worker: 1 });
  assert.equal(bad.ok, false, 'a dead worker cannot be killed again');
  assert.equal(sim.apply({ do: 'kill_worker', worker: 7 }).ok, false);
  assert.equal(sim.apply({ do: 'kill_server', server: 0 }).ok, false);
  assert.deepEqual(sim.apply({ do: 'restart_worker', worker: 1 }), { ok: true });
  sim.runUntil(10);
  assert.equal(sim.workers()[1].alive, true);
  assert.ok(sim.partitions().every((p) => p.owner === p.home), 'partitions go home');
  sim.run();
  const r = sim.results();
  assert.equal(r.recovery.crashes, 1);
  assert.equal(sim.lostWindows().length, r.windows.lost);
  sim.delete();
});

test('StreamSimulation.partitions and workers report consistent live state', () => {
  const sim = lab.create(streamScenario());
  sim.runUntil(3);
  const parts = sim.partitions();
  assert.deepEqual(parts.map((p) => p.id), [0, 1, 2, 3]);
  for (const p of parts) {
    assert.equal(p.backlog, p.logEnd - p.position);
    assert.equal(p.home, p.id % 2);
    assert.ok(p.position <= p.logEnd);
  }
  const workers = sim.workers();
  assert.equal(typeof workers[0].busy, 'boolean');
  assert.equal(typeof workers[0].paused, 'boolean');
  assert.equal(workers.reduce((n, w) => n + w.processed, 0), parts.reduce((n, p) => n + p.position, 0));
  sim.delete();
});

test('StreamSimulation.seek back and forward again reproduces the run, live actions included', () => {
  const straight = lab.create(streamScenario());
  straight.runUntil(6);
  straight.apply({ do: 'kill_worker', worker: 0 });
  straight.runUntil(15);
  const want = straight.results();
  const sim = lab.create(streamScenario());
  sim.runUntil(6);
  sim.apply({ do: 'kill_worker', worker: 0 });
  sim.runUntil(15);
  sim.seek(8);
  assert.equal(sim.now, 8);
  assert.equal(sim.workers()[0].alive, false);
  sim.runUntil(15);
  assert.deepEqual(sim.results(), want);
  sim.seek(3);
  assert.equal(sim.workers()[0].alive, true, 'the kill at 6 s is forgotten');
  straight.delete();
  sim.delete();
});

test('lab.validate and lab.create give the native error for bad stream scenarios', () => {
  const bad = [
    { ...streamScenario(), workers: 0 },
    { ...streamScenario(), partitions: 1000 },
    { ...streamScenario(), pipeline: [{ op: 'explode' }] },
    { ...streamScenario(), checkpoint: { mode: 'twice' } },
    { ...streamScenario(), timeline: [{ at_s: 1, do: 'kill_worker', worker: 9 }] },
    { ...streamScenario(), servers: { count: 2 } },
  ];
  const before = lab.liveObjects();
  for (const scenario of bad) {
    const text = JSON.stringify(scenario);
    const native = runNative(['validate', '-'], { input: text });
    assert.equal(native.code, 2);
    const v = lab.validate(scenario);
    assert.equal(`error: ${v.text}\n`, native.stderr.toString());
    assert.throws(() => lab.create(text), (e) => e instanceof LabError && e.text === v.text);
  }
  assert.deepEqual(lab.liveObjects(), before);
});

test('StreamSimulation.delete frees it; 200 create/delete cycles leak nothing', () => {
  const text = JSON.stringify(streamScenario({ duration_s: 2 }));
  const cycle = () => {
    const sim = lab.create(text, { trace: true });
    sim.step(0.5);
    sim.trace();
    sim.workers();
    sim.partitions();
    sim.lostWindows();
    sim.results();
    sim.delete();
  };
  for (let i = 0; i < 20; ++i) cycle();
  const objects = lab.liveObjects();
  const memory = lab.memory();
  for (let i = 0; i < 200; ++i) cycle();
  assert.deepEqual(lab.liveObjects(), objects);
  assert.equal(objects.simulations, 0);
  assert.equal(lab.memory().heapInUse, memory.heapInUse);
});
