// One simulated cluster or stream as a view sees it when the core runs elsewhere (a Web Worker,
// or the page's own host between tasks: sim-client.mjs): what the last snapshot said, and
// requests that resolve once the host has answered. Every number it reports comes from one
// snapshot, taken at one simulated time; the series and a stream's timeline markers grow by what
// each snapshot adds.
//
// Requests that move time resolve to chunks, [{trace, owners?, step?}]: the trace of each step
// (a stream's with its partition owners before it, and, while playing, what the step meant for
// the words: see StreamTimeline.ingest).
import { recordsOf, seriesColumn } from './sim-host.mjs';

let runIds = 0;

export class RemoteRun {
  #client;
  #id;
  #snap;
  #records = {};
  #numbers = null;
  #series = null;
  #closed = false;

  /// Opens a run of `scenario` (an object the lab validated) on `client`; rejects with the
  /// host's {path, message, got} when the core refuses it.
  static async open(client, scenario) {
    const id = `run-${++runIds}`;
    const reply = await client.request({ op: 'open', run: id, scenario });
    if (reply.ok === false) throw Object.assign(new Error(reply.message), { path: reply.path, got: reply.got });
    const run = new RemoteRun(client, id, reply.end);
    await run.refreshNumbers();
    return run;
  }

  constructor(client, id, end) {
    this.#client = client;
    this.#id = id;
    this.#snap = { t: 0, end, finished: false, state: { servers: { count: 0 }, store: null } };
    /// Live actions applied so far, [{at_s, do, ...}], in time order (the host's list).
    this.actions = [];
    /// Whether a jump left series points to fetch (the next snapshot with numbers brings more).
    this.seriesBehind = false;
    /// Wall milliseconds the host worked on the last step (advance).
    this.workMs = 0;
    /// A stream run's history as the host's StreamTimeline holds it: markers, crashed
    /// (worker -> crash marker), replayLeft (partition -> events), lastCheckpoint and counts.
    this.timeline = { markers: [], crashed: new Map(), replayLeft: new Map(), lastCheckpoint: null };
  }

  get now() { return this.#snap.t; }
  get end() { return this.#snap.end; }
  get finished() { return this.#snap.finished; }
  get policy() { return this.#snap.state.policy; }
  get sessionMode() { return this.#snap.state.mode; }
  get rate() { return this.#snap.state.rate; }
  /// Whether requests go to the session store now (the core's rule, under the live mode).
  get usesStore() { return this.#snap.state.usesStore; }

  servers() { return this.#recordsOf('servers'); }
  store() { return this.#snap.state.store; }
  workers() { return this.#recordsOf('workers'); }
  partitions() { return this.#recordsOf('partitions'); }
  /// The numbers of the last snapshot that carried them: results without the series.
  summary() { return this.#numbers ?? {}; }
  /// The series received so far, in the shape of the core's series().
  seriesForCharts() { return this.#series ?? {}; }
  /// The last numbers with the series received so far.
  results() { return { ...this.summary(), series: this.seriesForCharts() }; }

  /// Advances by dt simulated seconds; resolves to the chunks of the step. numbers: whether the
  /// snapshot should carry the numbers and new series points (they cost more than the picture).
  /// Sets workMs.
  async advance(dt, numbers = true) {
    const { snapshot, workMs } = await this.#request({ op: 'frame', dt, numbers });
    this.workMs = workMs ?? 0;
    return this.#take(snapshot);
  }

  /// The numbers now, without moving time.
  refreshNumbers() { return this.advance(0, true); }

  /// Applies an action now; resolves to {answer, chunks} (the events it caused at once).
  async apply(action) {
    const { answer, snapshot } = await this.#request({ op: 'apply', action });
    return { answer, chunks: this.#take(snapshot) };
  }

  /// Goes to time t (seconds): forward by running on, back by replaying this run's live actions
  /// up to t. Resolves to {done, chunks}: done is false when cancel() stopped it; chunks are the
  /// last `lookback` seconds before where it got to. job: {onId(id), the job's id for cancel();
  /// onProgress(fraction), how far it has got}, both optional.
  async seek(t, lookback, job = null) {
    const { done, snapshot } = await this.#request({ op: 'seek', t, lookback }, job);
    return { done, chunks: this.#take(snapshot) };
  }

  /// Replays `actions` ([{at_s, do, ...}]) from a fresh start and stops at time t. Resolves to
  /// {done, refused: [{action, error}], chunks}. job: as for seek().
  async replay(actions, t, lookback = 0, job = null) {
    const { done, refused, snapshot } = await this.#request({ op: 'replay', actions, t, lookback }, job);
    return { done, refused: refused ?? [], chunks: this.#take(snapshot) };
  }

  /// Runs to the end without the trace; resolves to {done}. job: as for seek().
  async toEnd(job = null) {
    const { done, snapshot } = await this.#request({ op: 'toEnd' }, job);
    this.#take(snapshot);
    return { done };
  }

  /// The whole results JSON of the run so far, series included, straight from the core.
  async fullResults() {
    return (await this.#request({ op: 'results' })).results;
  }

  /// Stops a job this run started (its reply then says done: false).
  cancel(job) {
    if (job != null) this.#client.request({ op: 'cancel', job });
  }

  delete() {
    if (this.#closed) return;
    this.#closed = true;
    this.#client.request({ op: 'close', run: this.#id });
  }

  async #request(msg, job = null) {
    const reply = await this.#client.request({ ...msg, run: this.#id }, job?.onId, job?.onProgress);
    // The host went with its widget: nobody waits for this answer any more.
    if (reply.closed) return new Promise(() => {});
    if (reply.ok === false && !reply.snapshot) throw Object.assign(new Error(reply.message), { path: reply.path, got: reply.got });
    return reply;
  }

  #recordsOf(field) {
    return (this.#records[field] ??= recordsOf(this.#snap.state[field] ?? { count: 0 }));
  }

  /// Takes a snapshot as the run's state; returns its chunks.
  #take(snap) {
    this.#snap = { ...snap, state: { ...this.#snap.state, ...snap.state } };
    this.#records = {};
    if (snap.state.actions) this.actions = snap.state.actions;
    if (snap.numbers) this.#numbers = snap.numbers;
    if (snap.series) this.#addSeries(snap.series);
    if (snap.timeline) this.#addTimeline(snap.timeline);
    return snap.traces;
  }

  #addTimeline({ reset, maxMarkers, markers, crashed, replayLeft, ...rest }) {
    const tl = this.timeline;
    if (reset) tl.markers = [];
    tl.markers.push(...markers);
    if (tl.markers.length > maxMarkers) tl.markers.splice(0, tl.markers.length - maxMarkers);
    tl.crashed = new Map(crashed);
    tl.replayLeft = new Map(replayLeft);
    Object.assign(tl, rest);
  }

  #addSeries({ columns, reset, behind }) {
    if (reset || !this.#series) this.#series = {};
    for (const [k, col] of Object.entries(columns)) {
      const v = seriesColumn(col);
      if (Array.isArray(v) && Array.isArray(this.#series[k])) for (const x of v) this.#series[k].push(x);
      else this.#series[k] = v;
    }
    this.seriesBehind = behind;
  }
}
