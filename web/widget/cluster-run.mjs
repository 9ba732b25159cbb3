// One simulated cluster as the widget drives it: a lab simulation plus the live actions the
// viewer applied (with their simulated times), so the view can be replayed, linked and reset.
// Every rule of the model stays in the core; this only forwards and remembers.
//
// Long work (a seek far ahead, a replay, a run to the end) is written as generators that yield
// after each slice of about SLICE_MS of simulation; the view runs them as jobs (job.mjs), so
// the page is never blocked for long.
import { roundTime } from './url-state.mjs';
import { SLICE_MS, finish } from './job.mjs';

/// At most about this many requests are replayed with their trace before the time a seek
/// lands on (the requests then in flight): one step, so it must stay short at any rate.
const LOOKBACK_REQUESTS = 2000;

export class ClusterRun {
  /// lab: the loaded lab API; scenario: a scenario object (already validated by lab.create).
  constructor(lab, scenario, { traceLimit = 20000 } = {}) {
    this.lab = lab;
    this.scenario = scenario;
    this.traceLimit = traceLimit;
    this.sim = lab.create(scenario, { trace: true, traceLimit });
    /// Live actions applied so far, [{at_s, do, ...}], in time order.
    this.actions = [];
    /// Requests simulated per wall millisecond, measured as slices run (first guess: a slow
    /// machine). A slice covers SLICE_MS of that at the arrival rate in force, so a rate
    /// changed by an action shortens the next slice at once.
    this.requestsPerMs = 300;
  }

  /// Runs the simulation to `time` in slices, yielding the time reached after each one.
  *runTo(time) {
    while (this.sim.now < time && !this.sim.finished) {
      const rate = Math.max(1, this.sim.rate);
      const from = this.sim.now;
      const t0 = performance.now();
      this.sim.runUntil(Math.min(time, from + Math.max(1e-4, (SLICE_MS * this.requestsPerMs) / rate)));
      const ms = performance.now() - t0;
      const measured = (rate * (this.sim.now - from)) / Math.max(ms, 0.05);
      // Down at once, up at most twofold a slice: a slice that ran fast is no promise.
      const next = measured < this.requestsPerMs ? measured : Math.min(2 * this.requestsPerMs, measured);
      this.requestsPerMs = Math.min(1e5, Math.max(10, next));
      if (this.sim.now < time && !this.sim.finished) yield this.sim.now;
    }
  }

  get now() { return this.sim.now; }
  get end() { return this.sim.end; }
  get finished() { return this.sim.finished; }
  get policy() { return this.sim.policy; }
  get sessionMode() { return this.sim.sessionMode; }
  get rate() { return this.sim.rate; }
  /// Whether requests go to the session store now (the core's rule, under the live mode).
  get usesStore() { return this.sim.usesStore; }

  /// Advances by dt simulated seconds; returns the trace of that step.
  advance(dt) {
    this.sim.step(dt);
    const t = this.sim.trace();
    this.traceSeen = t.count;
    return t;
  }

  /// Applies an action now and remembers it for links and seeks. Returns the core's answer;
  /// answer.trace holds the events the action caused at once (e.g. requests failed by a kill).
  apply(action, { wantTrace = true } = {}) {
    const before = wantTrace ? this.traceSeen ?? this.sim.trace().count : 0;
    const r = this.sim.apply(action);
    if (r.ok && !wantTrace) {
      this.actions.push({ ...action, at_s: roundTime(this.sim.now) });
      this.traceSeen = undefined;
      return r;
    }
    if (r.ok) {
      // The core applies a live action now, whatever its at_s said.
      this.actions.push({ ...action, at_s: roundTime(this.sim.now) });
      const t = this.sim.trace();
      this.traceSeen = t.count;
      return { ...r, trace: sliceTrace(t, before) };
    }
    return r;
  }

  /// Goes to time t (seconds), replaying from the start; later live actions are forgotten,
  /// as on a video timeline. The traces of the last `lookback` seconds are returned (so the
  /// picture at t shows the requests then in flight).
  seek(t, lookback = 0) {
    return finish(this.seekSteps(t, lookback));
  }

  /// seek() as a step generator (see runFor).
  *seekSteps(t, lookback = 0) {
    const target = Math.max(0, Math.min(roundTime(t), this.end));
    if (target >= this.now) {  // forward: nothing to forget, no replay needed
      const from = Math.max(this.now, target - this.#window(lookback));
      if (from > this.now) yield* this.runTo(from);
      this.traceSeen = undefined;
      return target > this.now ? [this.advance(target - this.now)] : [];
    }
    return (yield* this.rebuildSteps(this.actions.filter((a) => a.at_s <= target), target, lookback)).traces;
  }

  /// Replays a list of live actions ([{at_s, do, ...}] in time order) from a fresh simulation
  /// (not the core's seek: the replay then depends only on this list, and an action at exactly
  /// time t is included, as when a link is opened) and stops at time t. Returns
  /// {refused: [{action, error}], traces: [...]}: actions the core refused (e.g. no such server),
  /// and the traces of the last `lookback` seconds, actions included, in order.
  rebuild(actions, t, lookback = 0) {
    return finish(this.rebuildSteps(actions, t, lookback));
  }

  /// rebuild() as a step generator (see runFor).
  *rebuildSteps(actions, t, lookback = 0) {
    const sim = this.lab.create(this.scenario, { trace: true, traceLimit: this.traceLimit });
    this.sim?.delete();
    this.sim = sim;
    this.actions = [];
    this.traceSeen = undefined;
    const refused = [];
    const traces = [];
    const target = Math.min(roundTime(t), this.end);
    const windowStart = () => target - this.#window(lookback);
    const self = this;
    function* goTo(time) {
      if (time <= self.sim.now) return;
      if (lookback > 0 && time > windowStart()) {
        if (windowStart() > self.sim.now) yield* self.runTo(windowStart());
        traces.push(self.advance(time - self.sim.now));
      } else {
        yield* self.runTo(time);
      }
    }
    for (const a of actions) {
      if (a.at_s > this.end) break;
      yield* goTo(a.at_s);
      const action = { ...a };
      delete action.at_s;  // applied now, at its time
      const inWindow = lookback > 0 && a.at_s > windowStart();
      const r = this.apply(action, { wantTrace: inWindow });
      if (r.ok) {
        this.actions[this.actions.length - 1] = { ...a };
        if (inWindow) traces.push(r.trace);
      } else {
        refused.push({ action: a, error: r });
      }
    }
    yield* goTo(Math.max(this.sim.now, target));
    return { refused, traces };
  }

  /// The lookback window at the rate in force: at most LOOKBACK_REQUESTS requests long.
  #window(lookback) {
    return Math.min(lookback, LOOKBACK_REQUESTS / Math.max(1, this.sim.rate));
  }

  /// Runs to the end without drawing; returns the results.
  runToEnd() {
    return finish(this.runToEndSteps());
  }

  /// runToEnd() as a step generator (see runFor).
  *runToEndSteps() {
    yield* this.runTo(this.end);
    this.traceSeen = undefined;
    return this.sim.results();
  }

  /// results() without the series: what the numbers on screen need.
  summary() { return this.sim.summary(); }

  servers() { return this.sim.servers(); }
  store() { return this.sim.store(); }
  results() { return this.sim.results(); }
  series() { return this.sim.series(); }

  delete() {
    this.sim?.delete();
    this.sim = null;
  }
}

const TRACE_FIELDS = ['request', 'user', 'from', 'to', 'kind', 'outcome', 'flags', 'detail', 't0', 't1'];

/// The events of a trace from index `from` on (views, not copies).
export function sliceTrace(t, from) {
  const out = { count: Math.max(0, t.count - from), dropped: 0 };
  for (const f of TRACE_FIELDS) out[f] = t[f].subarray(Math.min(from, t.count));
  return out;
}
