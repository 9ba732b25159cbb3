// The simulation host: the one handler of the message protocol between a player and the core.
// A Web Worker wires it to postMessage (sim-worker.mjs); where no worker can start (a CSP
// that refuses it) the page runs this same handler in slices (sim-client.mjs). It holds the
// runs; a view only ever sees what a snapshot carries.
//
// Requests ({id, op, ...}) and replies ({id, ...}):
//   open   {run, scenario}          -> {ok, kind, end} | {ok: false, path, message, got}
//   frame  {run, dt, numbers}       -> snapshot: {t, end, finished, state, traces, numbers?, series?},
//                                     and workMs: the wall milliseconds the step took here
//   apply  {run, action}            -> {answer, snapshot}
//   seek   {run, t, lookback}       -> {done, snapshot} (a long one in slices; `cancel` stops it)
//   toEnd  {run}                    -> {done, snapshot}
//   replay {run, actions, t, lookback} -> {done, refused, snapshot}: from a fresh start, the live
//                                     actions [{at_s, do, ...}] at their times, then to time t
//   results {run}                   -> {results}: the whole results JSON, series included
//   cancel {job}                    -> {} (the job's own reply then says done: false)
//   close  {run}                    -> {}
//   live   {}                       -> {live}: the core's count of live objects (lab.liveObjects())
// While a long job (seek, toEnd, replay) runs, the host's `progress` callback gets its id and
// the fraction of its way done (0-1) after each slice; the job's reply still comes last.
// A snapshot is one simulated time: the numbers on screen (results without the series), the
// state of servers or workers (one typed array per field), the live actions when they changed,
// the trace events since the last snapshot and the series points added since the last snapshot
// that carried numbers, as typed arrays (transferred, not copied).
import { ClusterRun } from './cluster-run.mjs';
import { StreamRun } from './stream-run.mjs';
import { StreamTimeline } from './stream-timeline.mjs';
import { runFor, SLICE_MS } from './job.mjs';
import { afterQueuedTasks } from './next-task.mjs';

/// Most series points one snapshot carries: a far jump catches the charts up over several.
const SERIES_PIECE = 1000;

export class SimHost {
  #lab;
  #runs = new Map();
  #jobs = new Map();
  #cancelledEarly = new Set();
  #progress;

  /// lab: the loaded lab API (or a promise of it). progress(id, fraction): told how far each
  /// long job has got, between its slices.
  constructor(lab, { progress = null } = {}) {
    this.#lab = lab;
    this.#progress = progress;
  }

  /// Answers one request: resolves to {reply, transfer} (transfer: the buffers to move).
  async handle(msg) {
    const transfer = [];
    const reply = { id: msg.id };
    try {
      Object.assign(reply, await this.#op(msg, transfer));
    } catch (e) {
      Object.assign(reply, { ok: false, path: e?.path ?? '$', message: String(e?.message ?? e), got: e?.got ?? '' });
    }
    return { reply, transfer };
  }

  async #op(msg, transfer) {
    switch (msg.op) {
      case 'open': {
        const lab = await this.#lab;
        const scenario = typeof msg.scenario === 'string' ? JSON.parse(msg.scenario) : msg.scenario;
        const kind = scenario?.kind === 'stream' ? 'stream' : 'cluster';
        const run = kind === 'stream' ? new StreamRun(lab, scenario) : new ClusterRun(lab, scenario);
        this.#runs.get(msg.run)?.run.delete();
        this.#runs.set(msg.run, {
          run, kind, seriesSent: 0, chunks: [], queue: Promise.resolve(),
          // A stream run's history (timeline markers, crashed workers, replays left) is read
          // from every step's trace, jumps included: here, where every trace is.
          timeline: kind === 'stream' ? new StreamTimeline() : null, markersSent: 0, markersReset: true,
        });
        return { ok: true, kind, end: run.end };
      }
      case 'cancel':
        // A job still waiting behind another is stopped before it starts.
        if (this.#jobs.has(msg.job)) this.#jobs.get(msg.job).abort();
        else this.#cancelledEarly.add(msg.job);
        return {};
      case 'close':
        this.#runs.get(msg.run)?.run.delete();
        this.#runs.delete(msg.run);
        return {};
      case 'live':
        return { live: (await this.#lab).liveObjects() };
      case 'frame': case 'apply': case 'replay': case 'results': case 'seek': case 'toEnd': {
        // One request of a run at a time: a jump waits for the one before it to finish (or to
        // see its cancel), so two jobs never step the same simulation in turns.
        const r = this.#get(msg.run);
        const answer = r.queue.then(() => this.#runOp(r, msg, transfer));
        r.queue = answer.catch(() => {});
        return answer;
      }
      default:
        throw Object.assign(new Error(`unknown request "${msg.op}"`), { path: '$.op', got: String(msg.op) });
    }
  }

  async #runOp(r, msg, transfer) {
    switch (msg.op) {
      case 'frame': {
        const w0 = performance.now();
        if (r.kind === 'stream') r.run.advance(msg.dt, (trace, owners) => this.#streamChunk(r, trace, owners, true));
        else if (!r.run.finished) r.chunks.push({ trace: r.run.advance(msg.dt) });
        const snapshot = this.#snapshot(r, msg.numbers !== false, transfer);
        return { snapshot, workMs: performance.now() - w0 };
      }
      case 'apply': {
        const answer = r.run.apply(msg.action);
        if (answer.ok && answer.trace && r.kind === 'stream') this.#streamChunk(r, answer.trace, answer.owners, true);
        else if (answer.ok && answer.trace) r.chunks.push({ trace: answer.trace });
        const plain = { ...answer };
        delete plain.trace;
        delete plain.owners;
        return { answer: plain, snapshot: this.#snapshot(r, true, transfer) };
      }
      case 'replay': {
        const steps = r.kind === 'stream'
          ? r.run.rebuildSteps(msg.actions ?? [], msg.t, this.#keeper(r, msg.t, Number(msg.lookback) || 0))
          : r.run.rebuildSteps(msg.actions ?? [], msg.t, Number(msg.lookback) || 0);
        r.chunks = [];
        this.#clearTimeline(r);
        let refused = [];
        const done = await this.#slices(msg.id, 0, Math.min(msg.t, r.run.end), (function* collect() {
          const out = yield* steps;
          refused = (out?.refused ?? []).map((f) => ({ action: f.action, error: { ...f.error } }));
          if (r.kind === 'cluster') for (const trace of out?.traces ?? []) r.chunks.push({ trace });
        })());
        r.chunks = r.chunks.slice(-64);
        r.seriesSent = 0;
        r.actionsKey = null;
        const snapshot = this.#snapshot(r, true, transfer);
        snapshot.series.reset = true;
        return { done, refused, snapshot };
      }
      case 'results':
        return { results: r.run.results() };
      case 'seek':
      case 'toEnd': {
        const back = msg.op === 'seek' && msg.t < r.run.now;
        if (back) this.#clearTimeline(r);
        // Back, the run is rebuilt from its start; to the end, it runs on from where it is.
        const from = back ? 0 : r.run.now;
        const to = msg.op === 'seek' ? Math.min(msg.t, r.run.end) : r.run.end;
        const steps = this.#steps(r, msg);
        const done = await this.#slices(msg.id, from, to, steps);
        r.chunks = r.chunks.slice(-64);  // only the last moments are drawn after a jump
        if (back) r.seriesSent = 0;
        r.actionsKey = null;  // a jump back may forget live actions: send them again
        const snapshot = this.#snapshot(r, true, transfer);
        if (back) snapshot.series.reset = true;
        return { done, snapshot };
      }
      default:
        return {};
    }
  }

  #get(id) {
    const r = this.#runs.get(id);
    if (!r) throw Object.assign(new Error(`no run "${id}" is open`), { path: '$.run', got: String(id) });
    return r;
  }

  #steps(r, msg) {
    const lookback = Number(msg.lookback) || 0;
    if (r.kind === 'stream') {
      const target = msg.op === 'seek' ? msg.t : r.run.end;
      const keep = this.#keeper(r, target, lookback);
      return msg.op === 'seek' ? r.run.seekSteps(msg.t, keep) : r.run.advanceSteps(r.run.end - r.run.now, keep);
    }
    const self = r;
    return (function* steps() {
      const traces = msg.op === 'seek' ? yield* self.run.seekSteps(msg.t, lookback) : (yield* self.run.runToEndSteps(), []);
      for (const trace of traces) self.chunks.push({ trace });
    })();
  }

  /// A stream step's visitor that keeps the traces of the last `lookback` seconds before `target`.
  #keeper(r, target, lookback) {
    return (trace, owners) => this.#streamChunk(r, trace, owners, false, r.run.now > target - lookback);
  }

  /// A stream step's trace: into the run's timeline always; to the view when `keep` (a jump
  /// keeps only its last moments), with what the step meant for the words when `told`
  /// (playing; a jump tells nothing).
  #streamChunk(r, trace, owners, told, keep = true) {
    const checkpointBefore = r.timeline.lastCheckpoint;
    const step = r.timeline.ingest(trace, owners ?? []);
    if (keep) r.chunks.push({ trace, owners, step: told ? { ...step, checkpointBefore } : null });
  }

  /// What a snapshot carries of a stream run's timeline: its small state whole, and the markers
  /// added since the last snapshot (all of them, with reset, after it was cleared).
  #timeline(r) {
    const tl = r.timeline;
    const reset = r.markersReset;
    if (reset) r.markersSent = 0;
    const added = Math.min(tl.pushed - r.markersSent, tl.markers.length);
    r.markersSent = tl.pushed;
    r.markersReset = false;
    return {
      reset, maxMarkers: tl.maxMarkers, markers: added > 0 ? tl.markers.slice(-added) : [],
      crashed: [...tl.crashed], replayLeft: [...tl.replayLeft], lastCheckpoint: tl.lastCheckpoint,
      lostWindows: tl.lostWindows, repeatWindows: tl.repeatWindows, duplicates: tl.duplicates, deduplicated: tl.deduplicated,
    };
  }

  #clearTimeline(r) {
    if (!r.timeline) return;
    r.timeline.clear();
    r.markersReset = true;
  }

  /// Runs a step generator, which yields the simulated time it reached, in slices with a turn
  /// for other messages (a cancel) between them; tells its progress from `from` to `to`
  /// (simulated seconds) after each slice.
  async #slices(job, from, to, steps) {
    if (this.#cancelledEarly.delete(job)) return false;
    const controller = new AbortController();
    this.#jobs.set(job, controller);
    try {
      for (;;) {
        const slice = runFor(steps, SLICE_MS);
        if (slice.done) break;
        if (this.#progress && to > from) {
          this.#progress(job, Math.min(1, Math.max(0, (slice.at - from) / (to - from))));
        }
        await afterQueuedTasks();
        if (controller.signal.aborted) return false;
      }
      return true;
    } finally {
      this.#jobs.delete(job);
    }
  }

  #snapshot(r, numbers, transfer) {
    const { run, kind } = r;
    const snap = { t: run.now, end: run.end, finished: run.finished, kind };
    snap.traces = r.chunks;
    r.chunks = [];
    for (const c of snap.traces) for (const v of Object.values(c.trace)) if (ArrayBuffer.isView(v) && !transfer.includes(v.buffer)) transfer.push(v.buffer);
    if (kind === 'cluster') {
      snap.state = { policy: run.policy, mode: run.sessionMode, rate: run.rate, usesStore: run.usesStore, servers: columnsOfRecords(run.servers(), transfer), store: run.store() };
    } else {
      snap.state = { workers: columnsOfRecords(run.workers(), transfer), partitions: columnsOfRecords(run.partitions(), transfer) };
      snap.timeline = this.#timeline(r);
    }
    // The live actions change only when one is applied or a jump forgets some.
    const actionsKey = JSON.stringify(run.actions.at(-1) ?? null) + run.actions.length;
    if (actionsKey !== r.actionsKey) {
      r.actionsKey = actionsKey;
      snap.state.actions = run.actions.map((a) => ({ ...a }));
    }
    if (!numbers) return snap;
    let series;
    if (kind === 'cluster') {
      snap.numbers = run.summary();
      series = run.sim.series(r.seriesSent, SERIES_PIECE);
    } else {
      const results = run.results();
      series = results.series ?? {};
      delete results.series;
      snap.numbers = results;
      series = Object.fromEntries(Object.entries(series).map(([k, v]) => [k, Array.isArray(v) ? v.slice(r.seriesSent, r.seriesSent + SERIES_PIECE) : v]));
    }
    snap.series = { from: r.seriesSent, columns: columnsOf(series, transfer), behind: false };
    const added = snap.series.columns.t_s?.length ?? 0;  // t_s: one time per point
    snap.series.behind = added === SERIES_PIECE;
    r.seriesSent += added;
    return snap;
  }
}

/// The series' number columns as Float64Arrays (moved to the other side, not copied); a column
/// of one list per point (per-server figures, whose count changes as servers come and go) as
/// {values, ends}: every point's numbers in a row and where each point's ends. Other fields
/// (the interval) as they are. seriesColumn() reads one back.
function columnsOf(series, transfer) {
  const out = {};
  for (const [k, v] of Object.entries(series)) {
    if (Array.isArray(v) && v.every((x) => typeof x === 'number')) {
      out[k] = Float64Array.from(v);
      transfer.push(out[k].buffer);
    } else if (Array.isArray(v) && v.every((x) => Array.isArray(x))) {
      const ends = new Uint32Array(v.length);
      let n = 0;
      v.forEach((row, i) => { n += row.length; ends[i] = n; });
      const values = new Float64Array(n);
      let at = 0;
      for (const row of v) for (const x of row) values[at++] = x;
      out[k] = { values, ends };
      transfer.push(values.buffer, ends.buffer);
    } else {
      out[k] = v;
    }
  }
  return out;
}

/// Records ({id, alive, busy, ...} per server or worker) as one typed array per field: booleans
/// as bytes (a Uint8Array column is a flag), whole numbers as 32-bit integers, the rest as
/// doubles. recordsOf() reads them back.
function columnsOfRecords(list, transfer) {
  const out = { count: list.length };
  for (const k of Object.keys(list[0] ?? {})) {
    const vs = list.map((x) => x[k]);
    let col;
    if (vs.every((v) => typeof v === 'boolean')) col = Uint8Array.from(vs, (v) => (v ? 1 : 0));
    else if (vs.every((v) => Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31)) col = Int32Array.from(vs);
    else col = Float64Array.from(vs);
    out[k] = col;
    transfer.push(col.buffer);
  }
  return out;
}

/// The records columnsOfRecords() made, as a list of objects again.
export function recordsOf(columns) {
  const list = [];
  for (let i = 0; i < columns.count; ++i) {
    const rec = {};
    for (const [k, c] of Object.entries(columns)) {
      if (k === 'count') continue;
      rec[k] = c instanceof Uint8Array ? c[i] !== 0 : c[i];
    }
    list.push(rec);
  }
  return list;
}

/// A column of a snapshot's series as plain numbers: [x, ...] or, for a column of lists,
/// [[x, ...], ...]. Anything else comes back as it was sent.
export function seriesColumn(col) {
  if (col instanceof Float64Array) return Array.from(col);
  if (col && col.values instanceof Float64Array && col.ends instanceof Uint32Array) {
    const rows = [];
    let start = 0;
    for (const end of col.ends) { rows.push(Array.from(col.values.subarray(start, end))); start = end; }
    return rows;
  }
  return col;
}
