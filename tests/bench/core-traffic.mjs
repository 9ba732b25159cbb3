#!/usr/bin/env node
// Bytes per second a playing widget takes from the core, before and after snapshots.
//  before: what the views pulled when the core ran on the page's thread (ClusterRun): the trace of every frame, the
//          servers and store every frame, the numbers (results without the series) four times
//          a second and the charts' new series points twice a second, all as the core hands
//          them over (JSON text, typed-array copies);
//  after:  what the widget takes now, the snapshots of its simulation worker (web/widget/
//          sim-host.mjs, the views read them through remote-run.mjs): every frame one message with the
//          trace since the last one and the servers, and four times a second the numbers and
//          only the series points added since (typed arrays).
// Both play the same scenario at speed 1 and 60 frames a second of simulated wall time.
//
//   node tests/bench/core-traffic.mjs [--scenario sticky-crash] [--seconds 20]
//
// Not a test: the figures depend on the scenario and the frame rate, not on the machine.
import { loadLab } from '../../web/lab/stateless-lab.mjs';
import { ClusterRun } from '../../web/widget/cluster-run.mjs';
import { SimHost } from '../../web/widget/sim-host.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const name = opt('--scenario', 'sticky-crash');
const seconds = Number(opt('--seconds', 20));
const FPS = 60;
const UI_EVERY = FPS / 4;      // numbers four times a second (the player's UI_MS)
const CHARTS_EVERY = FPS / 2;  // charts twice a second (CHARTS_MS)

const lab = await loadLab();
const scenario = JSON.parse(lab.scenarioText(name));
if (scenario.kind === 'stream') throw new Error('a cluster scenario, please: the stream view pulls its results the same way');
const frames = Math.min(seconds, scenario.duration_s) * FPS;

/// Bytes of a value as it crosses: typed arrays by their length, the rest as JSON text.
function bytes(v) {
  let n = 0;
  const walk = (x) => {
    if (ArrayBuffer.isView(x)) { n += x.byteLength; return null; }
    if (Array.isArray(x)) return x.map(walk);
    if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, y]) => [k, walk(y)]));
    return x;
  };
  n += JSON.stringify(walk(v) ?? null).length;
  return n;
}

// Before: the calls the cluster view makes, measured by what each returns.
const before = { results: 0, series: 0, state: 0, trace: 0 };
{
  const run = new ClusterRun(lab, scenario);
  let chartPoints = 0;
  for (let f = 0; f < frames; ++f) {
    before.trace += bytes(run.advance(1 / FPS));
    before.state += bytes(run.servers()) + bytes(run.store());
    if (f % UI_EVERY === 0) {
      before.results += bytes(run.summary());
      before.state += bytes(run.servers()) + bytes(run.store());
    }
    if (f % CHARTS_EVERY === 0) {
      const piece = run.sim.series(chartPoints, 1000);  // the charts' new points, at most 1000
      before.series += bytes(piece);
      chartPoints += piece.t_s.length;
    }
  }
  run.delete();
}

// After: the snapshots the host sends.
const after = { results: 0, series: 0, state: 0, trace: 0 };
{
  const host = new SimHost(lab);
  let id = 0;
  await host.handle({ id: ++id, op: 'open', run: 'a', scenario });
  for (let f = 0; f < frames; ++f) {
    const { reply } = await host.handle({ id: ++id, op: 'frame', run: 'a', dt: 1 / FPS, numbers: f % UI_EVERY === 0 });
    const s = reply.snapshot;
    after.trace += bytes(s.traces);
    after.state += bytes(s.state) + bytes({ t: s.t, end: s.end, finished: s.finished, kind: s.kind });
    if (s.numbers) after.results += bytes(s.numbers);
    if (s.series) after.series += bytes(s.series);
  }
}

const wall = frames / FPS;
const kbps = (b) => (b / 1024 / wall).toFixed(1);
const row = (label, m) => {
  const total = m.results + m.series + m.state + m.trace;
  console.log(`${label.padEnd(8)} ${kbps(m.results).padStart(8)} ${kbps(m.series).padStart(8)} ${kbps(m.state).padStart(8)} ${kbps(m.trace).padStart(8)} ${kbps(total).padStart(8)}`);
};
console.log(`${name}, speed 1, ${FPS} frames/s, ${wall} s of playing: KB per second from the core`);
console.log(`${''.padEnd(8)} ${'numbers'.padStart(8)} ${'series'.padStart(8)} ${'state'.padStart(8)} ${'trace'.padStart(8)} ${'total'.padStart(8)}`);
row('before', before);
row('after', after);
