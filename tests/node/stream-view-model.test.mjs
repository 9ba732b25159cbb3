// The stream view's pure parts, in node: its layout, the flights it interpolates, the history
// and the words it reads from a real stream run's trace (the WebAssembly core), and the run
// driver that replays live actions. No DOM needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadLab } from '../../web/lab/stateless-lab.mjs';
import { layoutStream, hitStream, timelineX } from '../../web/widget/stream-layout.mjs';
import { StreamFlights } from '../../web/widget/stream-flights.mjs';
import { StreamTimeline, MarkerKind } from '../../web/widget/stream-timeline.mjs';
import { StreamRun } from '../../web/widget/stream-run.mjs';
import { describeStreamStep, describeStreamView, listWords } from '../../web/widget/stream-narration.mjs';
import { StreamKind, StreamFlag, Mark, markOf, marks } from '../../web/widget/stream-palette.mjs';
import { outcomes } from '../../web/widget/palette.mjs';

const lab = await loadLab();
const scenario = (name) => JSON.parse(lab.scenarioText(name));

const overlap = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
const inside = (a, r) => a.x >= r.x - 1e-6 && a.y >= r.y - 1e-6 && a.x + a.w <= r.x + r.w + 1e-6 && a.y + a.h <= r.y + r.h + 1e-6;

test('layoutStream keeps every box on the canvas and apart, from 360 px to 1280 px and up to 64 partitions', () => {
  for (const width of [360, 420, 559, 560, 800, 1280]) {
    for (const [partitions, workers] of [[1, 1], [6, 3], [8, 4], [16, 5], [64, 32], [3, 12]]) {
      for (const operators of [0, 1, 5]) {
        const L = layoutStream(width, { partitions, workers, operators, output: operators !== 1, results: operators > 0 });
        const where = `${width} px, ${partitions} partitions, ${workers} workers, ${operators} operators`;
        assert.equal(L.narrow, width < 560, where);
        assert.equal(L.parts.length, partitions, where);
        assert.equal(L.workers.length, workers, where);
        const canvas = { x: 0, y: 0, w: width, h: L.height };
        const boxes = [L.source, ...L.parts, ...L.workers, L.output, L.results, L.timeline].filter(Boolean);
        for (const b of boxes) {
          assert.ok(inside(b, canvas), `${where}: ${JSON.stringify(b)} is off the canvas`);
          assert.ok(b.w > 0 && b.h > 0, `${where}: empty box`);
        }
        const nodes = [L.source, ...L.parts, ...L.workers, L.output, L.results].filter(Boolean);
        for (let i = 0; i < nodes.length; ++i) {
          for (let j = i + 1; j < nodes.length; ++j) assert.ok(!overlap(nodes[i], nodes[j]), `${where}: boxes ${i} and ${j} overlap`);
          assert.ok(nodes[i].y + nodes[i].h <= L.timeline.y, `${where}: box ${i} runs into the timeline`);
        }
        for (const w of L.workers) {
          assert.equal(w.chips.length, operators, where);
          for (const c of w.chips) assert.ok(inside(c, w), `${where}: an operator chip leaves its worker`);
        }
      }
    }
  }
});

test('layoutStream at 360 px stays small enough to read: boxes at least 60 px wide and the picture under 700 px tall', () => {
  const L = layoutStream(360, { partitions: 6, workers: 3, operators: 3, output: true, results: false });
  for (const b of [...L.parts, ...L.workers]) assert.ok(b.w >= 60, `box ${b.w} px wide`);
  assert.ok(L.height < 700, `${L.height} px tall`);
});

test('hitStream finds the worker and the partition under a point, and timelineX maps 0 and the end to the strip ends', () => {
  const L = layoutStream(1000, { partitions: 6, workers: 3, operators: 1, output: false, results: true });
  const w = L.workers[2];
  assert.deepEqual(hitStream(L, w.x + w.w / 2, w.y + w.h / 2), { type: 'worker', id: 2 });
  const p = L.parts[4];
  assert.deepEqual(hitStream(L, p.x + 3, p.y + 3), { type: 'partition', id: 4 });
  assert.equal(hitStream(L, 1, L.height - 1), null);
  assert.equal(timelineX(L, 0, 60), L.timeline.x);
  assert.equal(timelineX(L, 60, 60), L.timeline.x + L.timeline.w);
  assert.equal(timelineX(L, 90, 60), L.timeline.x + L.timeline.w);
});

test('markOf gives lost state, replays and filtered events their own mark, each with its own shape', () => {
  assert.equal(markOf(StreamKind.PROCESS, 0), Mark.EVENT);
  assert.equal(markOf(StreamKind.PROCESS, StreamFlag.FILTERED), Mark.FILTERED);
  assert.equal(markOf(StreamKind.PROCESS, StreamFlag.REPLAYED | StreamFlag.FILTERED), Mark.REPLAYED);
  assert.equal(markOf(StreamKind.WINDOW, 0), Mark.WINDOW);
  assert.equal(markOf(StreamKind.WINDOW, StreamFlag.LOST_STATE | StreamFlag.REPLAYED), Mark.LOST);
  assert.equal(markOf(StreamKind.WINDOW, StreamFlag.REPEAT), Mark.REPLAYED);
  const shapes = marks.map((m) => outcomes[m.code].shape);
  assert.equal(new Set(shapes).size, marks.length, 'no two marks share a shape');
});

/// A hand-made trace: rows of [kind, worker, partition, key, seq, value, detail, flags, t0, t1].
function trace(rows) {
  const cols = ['kind', 'worker', 'partition', 'key', 'seq', 'value', 'detail', 'flags', 't0', 't1'];
  const t = { count: rows.length, dropped: 0 };
  cols.forEach((c, i) => { t[c] = rows.map((r) => r[i]); });
  return t;
}

test('StreamFlights starts an event\'s processing on screen only after its arrival has landed; a replay is not held back', () => {
  const f = new StreamFlights();
  const floor = 0.2;
  f.ingest(trace([
    [StreamKind.ARRIVE, -1, 2, 5, 100, 7, -1, 0, 10, 10],
    [StreamKind.PROCESS, 0, 2, 5, 100, 7, -1, 0, 10, 10.002],
    [StreamKind.PROCESS, 0, 3, 6, 40, 7, -1, StreamFlag.REPLAYED, 10, 10.002],
  ]), floor);
  const seen = (now) => { const out = []; f.forEach(now, (fl, p) => out.push({ kind: fl.kind, seq: fl.seq, p })); return out; };
  const at = seen(10.1);
  assert.deepEqual(at.map((x) => `${x.kind}:${x.seq}`).sort(), [`${StreamKind.ARRIVE}:100`, `${StreamKind.PROCESS}:40`]);
  assert.ok(Math.abs(at.find((x) => x.seq === 100).p - 0.5) < 1e-9, 'the arrival is halfway at half its floor');
  const later = seen(10.25);
  assert.ok(later.some((x) => x.kind === StreamKind.PROCESS && x.seq === 100), 'processing shows once the arrival landed');
  assert.ok(!later.some((x) => x.kind === StreamKind.ARRIVE), 'the landed arrival is gone');
  assert.deepEqual(seen(11), []);
  assert.equal(f.size, 0, 'ended flights are dropped');
});

test('StreamFlights follows a sample of events when more than its cap are in flight', () => {
  const f = new StreamFlights({ cap: 100 });
  const rows = [];
  for (let i = 0; i < 1000; ++i) rows.push([StreamKind.ARRIVE, -1, i % 4, i % 7, i, 1, -1, 0, i * 1e-4, i * 1e-4]);
  f.ingest(trace(rows), 1);
  assert.ok(f.size <= 150, `${f.size} flights kept`);
  assert.equal(f.size + f.skipped, 1000);
  assert.ok(f.stride > 1, 'the next steps follow every stride-th event');
});

/// Runs a scenario to t with a timeline reading every chunk; returns {run, tl, steps}.
function replay(name, t, actions = []) {
  const run = new StreamRun(lab, scenario(name));
  const tl = new StreamTimeline();
  const steps = [];
  let dropped = 0;
  run.rebuild(actions, t, (tr, owners) => { dropped += tr.dropped; steps.push(tl.ingest(tr, owners)); });
  return { run, tl, steps, dropped };
}

test('StreamTimeline reads a crash without checkpoints: the stranded partitions and as many lost windows as the core lists', () => {
  const { run, tl, dropped } = replay('stream-window-no-checkpoint', 23);
  assert.equal(dropped, 0, 'chunked steps never overflow the trace');
  const crashes = tl.markers.filter((m) => m.kind === MarkerKind.CRASH);
  assert.equal(crashes.length, 1);
  const c = crashes[0];
  assert.equal(c.worker, 1);
  const homes = run.partitions().filter((p) => p.home === 1).map((p) => p.id);
  assert.deepEqual(c.partitions, homes, 'the crashed worker owned its home partitions');
  assert.ok(c.windows > 0);
  assert.equal(c.windows, run.sim.lostWindows().length);
  assert.ok(tl.crashed.has(1), 'the worker is shown down with its loss');
  run.delete();
});

test('StreamTimeline counts an exactly-once replay down to zero and marks every checkpoint the core took', () => {
  const { run, tl, steps } = replay('stream-window-exactly-once', 40);
  const r = run.results();
  const assigns = tl.markers.filter((m) => m.kind === MarkerKind.ASSIGN && !m.back);
  assert.equal(assigns.reduce((n, m) => n + m.replays, 0), r.events.replayed);
  assert.equal(steps.reduce((n, s) => n + s.replayedEvents, 0), r.events.replayed);
  assert.equal(tl.replayLeft.size, 0, 'every replay finished by 40 s');
  assert.equal(tl.markers.filter((m) => m.kind === MarkerKind.CHECKPOINT).length, r.checkpoints.taken);
  assert.equal(tl.lostWindows, 0);
  run.delete();
});

test('StreamTimeline counts the events a replay emits a second time, as many as the core reports, and none behind an idempotent sink', () => {
  for (const [name, dup, dedup] of [['stream-stateless-crash', 'duplicates', 'deduplicated'], ['stream-stateless-idempotent-sink', 'deduplicated', 'duplicates']]) {
    const { run, tl, steps } = replay(name, 60);
    const r = run.results();
    assert.ok(r.events[dup] > 0, `${name}: the replay repeats some output`);
    assert.equal(r.events[dedup], 0, name);
    assert.equal(tl[dup], r.events[dup], name);
    assert.equal(steps.reduce((n, s) => n + s[dup], 0), r.events[dup], name);
    assert.equal(tl[dedup], 0, name);
    run.delete();
  }
});

test('describeStreamStep tells output emitted again and repeats dropped by the sink, in the log only', () => {
  const out = describeStreamStep({ news: [], duplicates: 3, deduplicated: 1 }, { stateful: false, mode: 'none', now: 24 });
  assert.deepEqual(out.map((s) => s.text), [
    '3 events emitted downstream a second time by the replay',
    '1 repeated event dropped by the idempotent sink',
  ]);
  assert.ok(out.every((s) => !s.notable));
});

test('StreamRun.seek back before a live crash forgets it; seeking forward again does not bring it back', () => {
  const run = new StreamRun(lab, scenario('stream-window-no-checkpoint'));
  run.advance(12.5);
  const r = run.apply({ do: 'kill_worker', worker: 0 });
  assert.equal(r.ok, true);
  assert.ok(Array.from(r.trace.kind).includes(StreamKind.CRASH), 'the crash is in the trace the action returns');
  assert.deepEqual(r.owners.filter((o) => o === 0).length, 2, 'owners from before the crash');
  run.advance(5);
  assert.ok(run.results().windows.lost > 0, 'windows of worker 0 are lost');
  run.seek(10);
  assert.deepEqual(run.actions, []);
  run.seek(20);
  assert.equal(run.results().windows.lost, 0, 'without the live crash nothing is lost by 20 s');
  assert.equal(run.apply({ do: 'kill_worker', worker: 9 }).ok, false);
  run.delete();
});

test('StreamRun.rebuild replays live actions at their times and reports refused ones', () => {
  const run = new StreamRun(lab, scenario('stream-window-exactly-once'));
  const { refused } = run.rebuild([{ at_s: 12.5, do: 'kill_worker', worker: 2 }, { at_s: 13, do: 'kill_worker', worker: 2 }], 30);
  assert.equal(refused.length, 1, 'a worker already down cannot be killed again');
  assert.deepEqual(run.actions, [{ at_s: 12.5, do: 'kill_worker', worker: 2 }]);
  assert.equal(run.results().recovery.crashes, 2, 'the live crash and the scenario\'s own');
  run.delete();
});

test('describeStreamStep tells a crash without checkpoints in plain words', () => {
  const news = [{ t: 22.5, kind: MarkerKind.CRASH, worker: 1, partitions: [1, 5], owned: 2, windows: 3 }];
  const [s] = describeStreamStep({ news }, { stateful: true, mode: 'none', failoverS: 2, checkpoint: null });
  assert.equal(s.text, 'worker 1 crashed: partitions 1 and 5 wait 2 s for failover; 3 open windows lost; its input since the start (no commit yet) will be replayed');
  assert.equal(s.notable, true);
});

test('describeStreamStep joins a crash and a takeover reported in the same step', () => {
  const news = [
    { t: 5, kind: MarkerKind.CRASH, worker: 1, partitions: [1, 5], owned: 2, windows: 3 },
    { t: 5, kind: MarkerKind.ASSIGN, worker: 2, partition: 1, back: false, replays: 0 },
    { t: 5, kind: MarkerKind.ASSIGN, worker: 2, partition: 5, back: false, replays: 0 },
  ];
  const out = describeStreamStep({ news }, { stateful: true, mode: 'none', failoverS: 0, checkpoint: null });
  assert.deepEqual(out.map((s) => s.text), ['worker 1 crashed: partitions 1 and 5 move to worker 2; 3 open windows lost; its input since the start (no commit yet) will be replayed']);
});

test('describeStreamStep tells replays, restarts, checkpoints and windows in their own words', () => {
  const ck = { t: 20, kind: MarkerKind.CHECKPOINT, number: 5, entries: 14 };
  const out = describeStreamStep({
    news: [
      { t: 24.5, kind: MarkerKind.ASSIGN, worker: 0, partition: 1, back: false, replays: 66 },
      { t: 40, kind: MarkerKind.RESTART, worker: 1 },
      { t: 40, kind: MarkerKind.ASSIGN, worker: 1, partition: 1, back: true, replays: 0 },
    ],
    lostWindows: 0, repeatWindows: 4, replayWindows: 0,
  }, { stateful: true, mode: 'at_least_once', failoverS: 2, checkpoint: ck, now: 41 });
  assert.deepEqual(out.map((s) => s.text), [
    'failover: partition 1 moves to worker 0 and replays 66 events from the last commit',
    'worker 1 restarted and takes back partition 1 with its window state; nothing is replayed',
    '4 windows emitted a second time after the replay',
  ]);
  const [c] = describeStreamStep({ news: [ck] }, { stateful: true, mode: 'exactly_once', checkpoint: null });
  assert.equal(c.text, 'checkpoint 5: 14 open window entries and the input positions saved');
  assert.equal(c.notable, false, 'checkpoints go to the log, not the live region');
  const [x] = describeStreamStep({ news: [{ t: 1, kind: MarkerKind.CRASH, worker: 0, partitions: [0], owned: 1, windows: 0 }] },
    { stateful: false, mode: 'none', failoverS: 2 });
  assert.match(x.text, /no state to restore, but its input since the start \(no commit yet\) will be replayed and its output since then will be emitted again$/);
  const [y] = describeStreamStep({ news: [{ t: 1, kind: MarkerKind.CRASH, worker: 0, partitions: [0], owned: 1, windows: 0 }] },
    { stateful: false, mode: 'none', idempotent: true, failoverS: 2, checkpoint: ck });
  assert.match(y.text, /since commit 5 will be replayed and the idempotent sink will drop its repeated output$/);
  assert.equal(listWords([1, 4, 5]), '1, 4 and 5');
});

test('describeStreamView names the workers that are down and the run\'s own counts, for a screen reader', () => {
  const run = new StreamRun(lab, scenario('stream-window-no-checkpoint'));
  try {
    run.advance(3);
    assert.equal(run.apply({ do: 'kill_worker', worker: 1 }).ok, true);
    run.advance(1);
    const r = run.results();
    const text = describeStreamView(r, run.workers(), { now: run.now, end: run.end, partitions: run.partitions().length, idempotent: false, stateful: true });
    assert.match(text, /worker 1 down/);
    assert.match(text, new RegExp(`${run.partitions().length} partitions on ${run.workers().length} workers`));
    assert.ok(text.includes(`${r.events.in.toLocaleString('en-US')} events in`), text);
    assert.match(text, /windows so far: /);
  } finally {
    run.delete();
  }
});
