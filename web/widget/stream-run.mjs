// One stream simulation as the stream view drives it: the lab's StreamSimulation plus the live
// actions the viewer applied (with their simulated times), so the view can be replayed, linked
// and reset. Time advances in chunks small enough that the trace never overflows, and every
// chunk's trace is handed to a visitor with the partition owners from before it (so a crash can
// be told with the partitions it strands). Every rule of the model stays in the core. Long
// work (a far seek, a replay) is also a step generator yielding after each chunk, which the
// view runs as a job (job.mjs) so the page is never blocked for long.
import { roundTime } from './url-state.mjs';
import { finish } from './job.mjs';

/// Wall milliseconds one step of a long job should take at most.
const STEP_MS = 12;

const TRACE_FIELDS = ['kind', 'worker', 'partition', 'key', 'seq', 'value', 'detail', 'flags', 't0', 't1'];

/// The events of a trace from index `from` on (views, not copies).
export function sliceStreamTrace(t, from) {
  const start = Math.min(from, t.count);
  const out = { count: Math.max(0, t.count - start), dropped: 0 };
  for (const f of TRACE_FIELDS) out[f] = t[f].subarray(start);
  return out;
}

export class StreamRun {
  /// lab: the loaded lab API; scenario: a stream scenario object (lab.create validates it).
  constructor(lab, scenario, { traceLimit = 20000 } = {}) {
    this.lab = lab;
    this.scenario = scenario;
    this.traceLimit = traceLimit;
    // Trace events per simulated second: an arrival and a processing per event, plus windows.
    const rate = Math.max(1, Number(scenario.source?.rate_per_s) || 100);
    /// Longest step, simulated seconds, that keeps a step's trace under the limit.
    this.chunk = Math.max(0.001, Math.min(5, traceLimit / (4 * rate)));
    this.sim = lab.create(scenario, { trace: true, traceLimit });
    /// Live actions applied so far, [{at_s, do, worker}], in time order.
    this.actions = [];
    this.traceSeen = 0;
    /// The step a long job takes now, simulated seconds: at most `chunk`, shorter while steps
    /// cost more wall time than a job's slice (many operators, a checkpoint), so a slice of a
    /// job stays short. The simulation itself does not depend on how time is cut into steps.
    /// It starts short: the first steps also pay for compiling the core's code they reach.
    this.stepChunk = Math.min(this.chunk, 0.01);
  }

  /// Halves the step after one that took over STEP_MS of wall time; doubles it back, up to
  /// `chunk`, after a quick one.
  #fitChunk(wallMs) {
    if (wallMs > STEP_MS) this.stepChunk = Math.max(Math.min(this.chunk, 0.001), this.stepChunk / 2);
    else if (wallMs < STEP_MS / 4) this.stepChunk = Math.min(this.chunk, this.stepChunk * 2);
  }

  get now() { return this.sim.now; }
  get end() { return this.sim.end; }
  get finished() { return this.sim.finished; }

  owners() { return this.sim.partitions().map((p) => p.owner); }

  /// Advances by dt simulated seconds; visit(trace, ownersBefore) gets each chunk's trace.
  advance(dt, visit) {
    finish(this.advanceSteps(dt, visit));
  }

  /// advance() as a step generator: yields the simulated time after each chunk.
  *advanceSteps(dt, visit) {
    const target = Math.min(this.end, this.now + Math.max(0, dt));
    while (this.now < target - 1e-9) {
      const owners = visit ? this.owners() : null;
      const before = this.now;
      const t0 = performance.now();
      this.sim.step(Math.min(this.stepChunk, target - this.now));
      const t = this.sim.trace();
      this.traceSeen = t.count;
      visit?.(t, owners);
      this.#fitChunk(performance.now() - t0);
      if (this.now <= before) break;  // less than the core's microsecond: nothing to do
      yield this.now;
    }
  }

  /// Applies an action now ({do: 'kill_worker', worker: 1}) and remembers it. Returns the core's
  /// answer; on success also `trace` (what the action caused at once) and `owners` (before it).
  apply(action) {
    const owners = this.owners();
    const before = this.traceSeen;
    const r = this.sim.apply(action);
    if (!r.ok) return r;
    this.actions.push({ ...action, at_s: roundTime(this.sim.now) });
    const t = this.sim.trace();
    this.traceSeen = t.count;
    return { ...r, trace: sliceStreamTrace(t, before), owners };
  }

  /// Goes to time t, replaying from the start when going back (later live actions are
  /// forgotten, as on a video timeline). visit gets every chunk's trace on the way.
  seek(t, visit) {
    return finish(this.seekSteps(t, visit));
  }

  /// seek() as a step generator (see advanceSteps).
  *seekSteps(t, visit) {
    const target = Math.max(0, Math.min(roundTime(t), this.end));
    if (target >= this.now) {
      yield* this.advanceSteps(target - this.now, visit);
      return { refused: [] };
    }
    return yield* this.rebuildSteps(this.actions.filter((a) => a.at_s <= target), target, visit);
  }

  /// A fresh simulation with these live actions ([{at_s, do, ...}] in time order) applied at
  /// their times, run to time t. Returns {refused: [{action, error}]}; visit as in advance,
  /// called with (trace, owners) for the steps and the actions alike.
  rebuild(actions, t, visit) {
    return finish(this.rebuildSteps(actions, t, visit));
  }

  /// rebuild() as a step generator (see advanceSteps).
  *rebuildSteps(actions, t, visit) {
    const sim = this.lab.create(this.scenario, { trace: true, traceLimit: this.traceLimit });
    this.sim?.delete();
    this.sim = sim;
    this.actions = [];
    this.traceSeen = 0;
    const refused = [];
    for (const a of actions) {
      if (a.at_s > this.end) break;
      yield* this.advanceSteps(a.at_s - this.now, visit);
      const action = { ...a };
      delete action.at_s;
      const r = this.apply(action);
      if (r.ok) {
        this.actions[this.actions.length - 1] = { ...a };
        visit?.(r.trace, r.owners);
      } else {
        refused.push({ action: a, error: r });
      }
    }
    yield* this.advanceSteps(Math.min(roundTime(t), this.end) - this.now, visit);
    return { refused };
  }

  workers() { return this.sim.workers(); }
  partitions() { return this.sim.partitions(); }
  results() { return this.sim.results(); }

  delete() {
    this.sim?.delete();
    this.sim = null;
  }
}
