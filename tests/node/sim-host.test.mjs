// SimHost (web/widget/sim-host.mjs), the protocol between a player and the core, and SimClient
// (web/widget/sim-client.mjs) on a worker thread and in the page: snapshots carry the core's
// own numbers at their time, series deltas add up to the whole series, and both places agree.
import assert from 'node:assert/strict';
import { test, after } from 'node:test';

import { loadLab } from '../../web/lab/stateless-lab.mjs';
import { SimHost, seriesColumn, recordsOf } from '../../web/widget/sim-host.mjs';
import { SimClient } from '../../web/widget/sim-client.mjs';

const lab = await loadLab();
const cluster = {
  seed: 7, duration_s: 12, series_interval_s: 0.25,
  traffic: { users: 200, rate_per_s: 300 },
  balancer: { policy: 'sticky_cookie' },
  servers: { count: 3, workers: 2, service_ms: { dist: 'exponential', mean: 6 } },
  session: { mode: 'server_memory' },
  timeline: [{ at_s: 4, do: 'kill_server', server: 1 }],
};
const stream = JSON.parse(lab.scenarioText('stream-window-no-checkpoint'));

const clients = [];
after(() => { for (const c of clients) c.close(); });

/// Plays `frames` frames of dt seconds through a client or host; returns the snapshots.
async function play(send, scenario, frames, dt) {
  const opened = await send({ op: 'open', run: 'a', scenario });
  assert.equal(opened.ok, true, opened.message);
  const snaps = [];
  for (let i = 0; i < frames; ++i) snaps.push((await send({ op: 'frame', run: 'a', dt, numbers: true })).snapshot);
  return snaps;
}

const viaHost = () => { const host = new SimHost(lab); let id = 0; return async (m) => (await host.handle({ ...m, id: ++id })).reply; };

test("SimHost's snapshot numbers equal the core's own results at the snapshot's time", async () => {
  const snaps = await play(viaHost(), cluster, 30, 0.2);
  const last = snaps.at(-1);
  assert.ok(Math.abs(last.t - 6) < 1e-9, `at ${last.t} s`);
  const sim = lab.create(cluster);
  sim.runUntil(last.t);
  assert.deepEqual(last.numbers, sim.summary());
  assert.deepEqual(recordsOf(last.state.servers), sim.servers());
  sim.delete();
});

test('SimHost series deltas, concatenated in order, equal the whole series of a plain run', async () => {
  const snaps = await play(viaHost(), cluster, 60, 0.2);
  const got = {};
  let expectFrom = 0;
  for (const s of snaps) {
    assert.equal(s.series.from, expectFrom, 'each delta starts where the last one ended');
    for (const [k, v] of Object.entries(s.series.columns)) {
      const column = seriesColumn(v);
      if (Array.isArray(column)) (got[k] ??= []).push(...column);
    }
    expectFrom += s.series.columns.t_s.length;
  }
  const sim = lab.create(cluster);
  sim.runUntil(snaps.at(-1).t);
  const full = sim.series();
  sim.delete();
  assert.ok(full.t_s.length > 20, `${full.t_s.length} points`);
  for (const [k, v] of Object.entries(full)) if (Array.isArray(v)) assert.deepEqual(got[k], v, `series ${k}`);
});

test('SimHost trace events of all snapshots add up to the events of the same stretch run in one step', async () => {
  const snaps = await play(viaHost(), cluster, 10, 0.1);
  const events = snaps.reduce((n, s) => n + s.traces.reduce((m, c) => m + c.trace.count, 0), 0);
  const sim = lab.create(cluster, { trace: true, traceLimit: 1e6 });
  sim.step(1);
  assert.equal(events, sim.trace().count);
  sim.delete();
});

test('SimHost answers an unknown run or request with an error naming the field, and keeps working', async () => {
  const send = viaHost();
  const r = await send({ op: 'frame', run: 'nope', dt: 1 });
  assert.equal(r.ok, false);
  assert.equal(r.path, '$.run');
  assert.equal((await send({ op: 'dance' })).path, '$.op');
  assert.equal((await send({ op: 'open', run: 'a', scenario: cluster })).ok, true);
});

test('SimHost seeks back by replaying, restarts the series and keeps the live actions before the time sought', async () => {
  const send = viaHost();
  await play(send, cluster, 25, 0.2);
  const applied = await send({ op: 'apply', run: 'a', action: { do: 'add_server' } });
  assert.equal(applied.answer.ok, true);
  await send({ op: 'frame', run: 'a', dt: 1, numbers: true });
  const back = await send({ op: 'seek', run: 'a', t: 5.5, lookback: 0.5 });
  assert.equal(back.done, true);
  assert.equal(back.snapshot.t, 5.5);
  assert.equal(back.snapshot.series.reset, true);
  assert.equal(back.snapshot.series.from, 0);
  assert.deepEqual(back.snapshot.state.actions, [{ do: 'add_server', at_s: 5 }]);
  const next = await send({ op: 'frame', run: 'a', dt: 0.1 });
  assert.equal(next.snapshot.state.actions, undefined, 'unchanged actions are not sent again');
});

test('SimClient on a worker thread gives the same snapshots as the host in the page, for a cluster and a stream', async () => {
  const worker = await SimClient.start();
  const page = await SimClient.start({ worker: false, loadLab: () => loadLab() });
  clients.push(worker, page);
  assert.equal(worker.inWorker, true);
  assert.equal(page.inWorker, false);
  for (const scenario of [cluster, stream]) {
    const a = await play((m) => worker.request(m), scenario, 12, 0.5);
    const b = await play((m) => page.request(m), scenario, 12, 0.5);
    const rows = (st) => Object.fromEntries(Object.entries(st).map(([k, v]) => [k, v?.count !== undefined ? recordsOf(v) : v]));
    const plain = (s) => ({ t: s.t, numbers: s.numbers, state: rows(s.state), events: s.traces.reduce((n, c) => n + c.trace.count, 0) });
    // A stream run cuts a frame into chunks by wall time, so only the events' total per frame is compared.
    assert.deepEqual(a.map(plain), b.map(plain));
    assert.ok(a.at(-1).numbers, 'numbers came back');
  }
});

test('SimHost replay applies live actions at their times like playing them live, reports the refused ones and restarts the series', async () => {
  const live = viaHost();
  await play(live, cluster, 1, 2);
  await live({ op: 'apply', run: 'a', action: { do: 'add_server' } });
  const played = (await live({ op: 'frame', run: 'a', dt: 3, numbers: true })).snapshot;
  const send = viaHost();
  await play(send, cluster, 3, 1);
  const r = await send({ op: 'replay', run: 'a', t: 5, lookback: 0.5,
                         actions: [{ at_s: 2, do: 'add_server' }, { at_s: 3, do: 'kill_server', server: 99 }] });
  assert.equal(r.done, true);
  assert.equal(r.snapshot.t, 5);
  assert.deepEqual(r.refused.map((f) => f.action), [{ at_s: 3, do: 'kill_server', server: 99 }]);
  assert.match(r.refused[0].error.message, /server/);
  assert.deepEqual(r.snapshot.state.actions, [{ at_s: 2, do: 'add_server' }]);
  assert.equal(r.snapshot.series.reset, true);
  assert.deepEqual(r.snapshot.numbers, played.numbers);
});

test('SimHost stream snapshots carry each timeline marker once, and all those before the time again after a jump back', async () => {
  const send = viaHost();
  const snaps = await play(send, stream, 60, 0.5);
  const markers = snaps.flatMap((s) => s.timeline.markers);
  assert.ok(markers.some((m) => m.kind === 'crash') && markers.some((m) => m.kind === 'checkpoint'), 'a crash and commits to show');
  for (let i = 1; i < markers.length; ++i) assert.ok(markers[i].t >= markers[i - 1].t, 'in time order, none twice');
  assert.equal(new Set(markers.map((m) => JSON.stringify(m))).size, markers.length);
  const back = (await send({ op: 'seek', run: 'a', t: 10, lookback: 0 })).snapshot;
  assert.equal(back.timeline.reset, true);
  assert.deepEqual(back.timeline.markers, markers.filter((m) => m.t <= 10));
});

test('SimHost cancel of a jump still waiting behind another stops it before it starts, and the first one lands', async () => {
  const alive = setInterval(() => {}, 1000);  // the jobs wait between slices on a port node does not count
  try {
    const host = new SimHost(lab);
    const req = (m) => host.handle(m).then((x) => x.reply);
    await req({ id: 1, op: 'open', run: 'a', scenario: { ...cluster, duration_s: 100, traffic: { users: 2000, rate_per_s: 200000 } } });
    const first = req({ id: 2, op: 'seek', run: 'a', t: 20, lookback: 0 });
    const second = req({ id: 3, op: 'seek', run: 'a', t: 90, lookback: 0 });
    await req({ id: 4, op: 'cancel', job: 3 });
    const [a, b] = await Promise.all([first, second]);
    assert.equal(a.done, true);
    assert.equal(a.snapshot.t, 20);
    assert.equal(b.done, false);
    assert.equal(b.snapshot.t, 20, 'the cancelled jump never moved the run');
  } finally {
    clearInterval(alive);
  }
});

test('SimHost tells how far a long jump has got between its slices, rising towards its target, and a worker client hears it before the reply', async () => {
  const alive = setInterval(() => {}, 1000);  // the jobs wait between slices on a port node does not count
  try {
    const heavy = { ...cluster, duration_s: 60, traffic: { users: 2000, rate_per_s: 100000 } };
    const told = [];
    const host = new SimHost(lab, { progress: (id, fraction) => told.push({ id, fraction }) });
    const req = (m) => host.handle(m).then((x) => x.reply);
    await req({ id: 1, op: 'open', run: 'a', scenario: heavy });
    const rising = (id, what) => {
      const f = told.filter((x) => x.id === id).map((x) => x.fraction);
      assert.ok(f.length >= 3, `${what}: told ${f.length} times`);
      for (let i = 1; i < f.length; ++i) assert.ok(f[i] >= f[i - 1], `${what}: ${f[i - 1]} then ${f[i]}`);
      assert.ok(f[0] > 0 && f.at(-1) <= 1, `${what}: from ${f[0]} to ${f.at(-1)}`);
      return f;
    };
    assert.equal((await req({ id: 2, op: 'seek', run: 'a', t: 30, lookback: 0 })).done, true);
    rising(2, 'forward');
    // Back, the run is rebuilt from its start: the count starts again from nothing.
    assert.equal((await req({ id: 3, op: 'seek', run: 'a', t: 20, lookback: 0 })).done, true);
    assert.ok(rising(3, 'back')[0] < 0.5);
    assert.equal((await req({ id: 4, op: 'replay', run: 'a', actions: [], t: 20, lookback: 0 })).done, true);
    rising(4, 'replay');
    assert.equal(told.some((x) => x.id === 1), false, 'opening is not a long job');

    const worker = await SimClient.start();
    clients.push(worker);
    await worker.request({ op: 'open', run: 'w', scenario: heavy });
    const heard = [];
    const reply = await worker.request({ op: 'toEnd', run: 'w' }, null, (fraction) => heard.push(fraction));
    assert.equal(reply.done, true);
    assert.ok(heard.length >= 3 && heard.every((f, i) => f > 0 && f <= 1 && (i === 0 || f >= heard[i - 1])),
              `progress heard through the worker: ${heard.join(', ')}`);
  } finally {
    clearInterval(alive);
  }
});

test('SimHost answers a frame with the wall milliseconds its step took, more for a longer step', async () => {
  const send = viaHost();
  await play(send, { ...cluster, duration_s: 100, traffic: { users: 2000, rate_per_s: 200000 } }, 1, 0.001);
  const short = (await send({ op: 'frame', run: 'a', dt: 0.001 })).workMs;
  const long = (await send({ op: 'frame', run: 'a', dt: 2 })).workMs;
  assert.ok(Number.isFinite(short) && short >= 0, `short step: ${short} ms`);
  assert.ok(long > short, `a step of 2 s at 200,000 requests/s (${long} ms) takes longer than one of 1 ms (${short} ms)`);
});
