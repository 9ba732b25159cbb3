// <stateless-lab>: one (or, with `compare`, two) simulated clusters animated request by
// request, with controls, live charts and plain-words narration. Attributes are the API; the
// view lives in a shadow root, sizes itself to its container and cleans up when removed.
// The simulation (rules, randomness, numbers) is the lab core; this file only drives and shows it.
import {
  readState, parseControls, parseSpeed, parseMoments, formatQuery, formatActions, stateFields, roundTime,
} from './url-state.mjs';
import { ClusterRun } from './cluster-run.mjs';
import { Jobs, runFor, SLICE_MS } from './job.mjs';
import { FrameBudget } from './frame-budget.mjs';
import { FlightTracker, Kind, Node } from './flights.mjs';
import { ACTIONS } from '../lab/stateless-lab.mjs';
import { Diagram, layoutDiagram, policyLabel } from './diagram.mjs';
import { compact, count, withUnit } from './number-format.mjs';
import { Controls } from './controls.mjs';
import { actionHighlight } from './action-highlight.mjs';
import { Narration, describeAction, modeWords, scheduleOf } from './narration.mjs';
import { CompareSummary } from './compare-summary.mjs';
import { outcomes, shapeSvg } from './palette.mjs';
import { widgetSheets } from './styles.mjs';
import { nextTask } from './next-task.mjs';

const FLOOR_WALL_S = 0.22;     // shortest drawn hop, wall seconds: a 1 ms hop stays visible
const FLOOR_MAX_S = 1;         // ... but at most this many simulated seconds: fast playback
                               // shows a short-lived sample of requests, never minutes behind
const STEP_S = 0.1;            // simulated seconds per Step
const UI_MS = 250;             // numbers, charts and events at most this often while playing
const REDUCED_FRAME_MS = 500;  // reduced motion: the picture changes step-wise at this interval
const URL_MS = 5000;           // page URL rewritten at most this often while playing (each
                               // history.replaceState costs milliseconds); always on pause
const CHARTS_MS = 500;         // charts redrawn at most this often while playing
const JUMP_LEAD_S = 1;         // "jump to" a scheduled action lands this long before it, so
                               // the viewer sees it happen

let labPromise = null;
let narrationIds = 0;
/// The lab API, loaded once per page.
export function loadLabOnce() {
  labPromise ??= import('../lab/stateless-lab.mjs').then((m) => m.loadLab());
  return labPromise;
}

const h = (tag, props = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') e.className = v;
    else e.setAttribute(k, v);
  }
  e.append(...children);
  return e;
};

class WidgetError extends Error {
  constructor(what, where, message) {
    super(`${what} (${where}): ${message}`);
    this.info = { what, where, message };
  }
}

// Without a DOM (a worker, node) the module still loads, for the JS API bundled beside it;
// the element just cannot be defined there.
const ElementBase = globalThis.HTMLElement ?? class {};

export class StatelessLabElement extends ElementBase {
  /// Registers the element as `tag` in `registry` (a scoped registry, or another tag when a
  /// page already uses the name); a tag already defined there is left alone.
  static define(tag = 'stateless-lab', registry = globalThis.customElements) {
    if (!registry.get(tag)) registry.define(tag, this);
    return this;
  }

  static observedAttributes = ['scenario', 'compare', 'seed', 'speed', 'autoplay', 'controls', 'time', 'actions', 'sync-url', 'moments'];

  #gen = 0;
  #built = false;
  #rebuildQueued = false;
  #runs = [];
  #panels = [];
  #labels = { a: 'A', b: 'B' };
  #playing = false;
  #speed = 1;
  #raf = 0;
  #lastTs = 0;
  #lastUi = -Infinity;
  #lastUrl = -Infinity;
  #lastCharts = -Infinity;
  #lastReduced = -Infinity;
  #visible = true;
  #reduced = null;
  #dark = null;
  #ro = null;
  #io = null;
  #controls = null;
  #charts = null;
  #chartsReady = null;
  #summary = null;
  #narration = null;
  #groups = new Set();
  #errors = [];
  #fatal = null;
  #readyResolve = null;
  #readyPromise = null;
  #finishedSent = false;
  #pendingSeek = null;
  #lastStateJson = '';
  #lastUrlQuery = '';
  #frameTimes = new Float32Array(600);
  #frameCount = 0;
  #focusServer = -1;
  #meta = {};
  #onKey = null;
  #sheetsReady = null;
  #urlRead = false;
  #resume = null;
  #moments = [];
  #labPromise = null;  // this widget's own core (see #rebuild)
  #budget = new FrameBudget();  // simulated time one frame may advance
  #jobs = new Jobs(null);
  #stream = null;  // the stream view, for a "kind": "stream" scenario (it has this element's methods)

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this.#newReady();
    /// Time (performance.now(), ms) the first frame was drawn; null before.
    this.firstFrameAt = null;
  }

  // ----- lifecycle -----

  connectedCallback() {
    if (!this.#built) this.#buildShell();
    this.#queueRebuild();
  }

  disconnectedCallback() {
    // Moved within the page: connectedCallback runs again and rebuilds where it was.
    if ((this.#runs.length || this.#stream) && !this.#fatal) this.#resume = this.#resumeState();
    this.#teardown();
    this.#gen++;
  }

  attributeChangedCallback(name, oldValue, value) {
    if (oldValue === value || !this.#built) return;
    if (name === 'moments') {
      this.#readMoments();
      return;
    }
    if (name === 'controls' && (this.#runs.length || this.#stream) && !this.#fatal) {
      // Showing more or fewer controls keeps the view where it is.
      this.#resume = this.#resumeState();
    } else if (name !== 'speed' && name !== 'autoplay') {
      this.#resume = null;  // the author's new view wins
    }
    if (!this.isConnected) return;
    if (name === 'speed') {
      const r = parseSpeed(value);
      this.#clearError('attribute speed');
      if (r.error) this.#addError({ what: 'attribute speed', where: this.#selfText(), message: r.error });
      else this.#setSpeed(r.value ?? 1);
      return;
    }
    if (name === 'autoplay' || name === 'sync-url') return;  // read once, when the view is built
    this.#queueRebuild();
  }

  /// This widget's own core: one that runs out of memory stops only its widget, and a stopped
  /// core is replaced by a fresh one on the next build. The instances of a page share one
  /// fetch and compile of the .wasm.
  #loadCore() {
    this.#labPromise ??= import('../lab/stateless-lab.mjs').then((m) => m.loadLab({ isolated: true }));
    return this.#labPromise;
  }

  #resumeState() {
    const s = this.state;
    return { scenario: s.scenario, compare: s.compare, seed: String(s.seed), t: String(s.time), actions: formatActions(s.actions) };
  }

  /// Reads the `moments` attribute: a JSON array of {at_s, caption}. Playing stops at each
  /// moment once and shows its caption; seeking back before a moment arms it again.
  #readMoments() {
    this.#clearError('attribute moments');
    const text = this.getAttribute('moments');
    const r = parseMoments(text);
    if (r.error) this.#addError({ what: 'attribute moments', where: this.#selfText(), message: r.error });
    this.#moments = (r.value ?? []).map((m) => ({ ...m, shown: false }));
    this.#showMoment(null);
    this.#stream?.setMoments(this.#moments);
  }

  #showMoment(m) {
    const box = this.shadowRoot?.querySelector('.moment');
    if (!box) return;
    box.hidden = !m;
    box.textContent = m ? m.caption : '';
  }

  /// Simulated seconds the run may advance before the next armed moment (Infinity if none).
  /// A moment less than a microsecond ahead is due now: frame steps add up in floating point
  /// and may land a hair short of it, which would otherwise skip it.
  #untilMoment(now) {
    let next = Infinity;
    for (const m of this.#moments) if (!m.shown && m.at_s > now - 1e-6) next = Math.min(next, Math.max(0, m.at_s - now));
    return next;
  }

  // ----- public API -----

  /// Resolves when the current view is built (or failed to build: see `error`). Changing an
  /// attribute that rebuilds the view gives a new promise at once, so
  /// `el.setAttribute('scenario', x); await el.ready` waits for x.
  get ready() { return this.#readyPromise; }

  #newReady() {
    if (this.#readyResolve) return;  // still pending: keep it
    this.#readyPromise = new Promise((resolve) => {
      this.#readyResolve = () => { this.#readyResolve = null; resolve(); };
    });
  }

  /// @internal For tests: resolves to this widget's own Lab (each widget has its own core).
  get core() { return this.#labPromise; }

  /// Simulated seconds per wall second.
  get speed() { return this.#speed; }
  set speed(v) { this.setAttribute('speed', String(v)); }
  get playing() { return this.#stream ? this.#stream.playing : this.#playing; }
  /// Why the simulation could not start ({what, where, message}), or null.
  get error() { return this.#fatal ?? null; }
  /// Every problem shown: the fatal one, if any, and warnings about input that was ignored.
  get errors() { return [...(this.#fatal ? [this.#fatal] : []), ...this.#errors.map(({ what, where, message }) => ({ what, where, message }))]; }

  play() {
    if (this.#stream) return this.#stream.play();
    if (!this.#runs.length || this.#fatal || this.#jobs.running) return;
    if (this.#runs.every((r) => r.finished)) this.#resetRuns();
    this.#playing = true;
    this.#lastTs = 0;
    this.#afterChange();
  }

  pause() {
    if (this.#stream) return this.#stream.pause();
    if (!this.#playing) return;
    this.#playing = false;
    this.#afterChange();
  }

  /// Advances by `seconds` of simulated time (paused afterwards).
  step(seconds = STEP_S) {
    if (this.#stream) return this.#stream.step(seconds);
    if (!this.#runs.length || this.#jobs.running) return;
    this.#playing = false;
    this.#advance(Math.max(0, Number(seconds) || STEP_S));
    this.#narration?.flush(performance.now(), '', true);
    this.#afterChange();
  }

  reset() {
    if (this.#stream) return this.#stream.reset();
    if (!this.#runs.length) return;
    this.#playing = false;
    this.#resetRuns();
    for (const m of this.#moments) m.shown = false;
    this.#showMoment(null);
    this.#afterChange();
  }

  /// Goes to simulated time t (seconds), replaying from the start. A far jump runs in slices
  /// between frames with a progress bar and Cancel; the returned promise resolves when it is
  /// done (at once for a short one).
  seek(t) {
    if (this.#stream) return this.#stream.seek(t);
    if (!this.#runs.length) return Promise.resolve(false);
    const target = Math.max(0, Math.min(Number(t) || 0, this.#runs[0].end));
    const lookback = this.#lookback();
    return this.#runJob(`Jumping to ${target.toFixed(1)} s`, target, this.#runs.map((r) => r.seekSteps(target, lookback)),
      (traces) => this.#afterSeek(target, traces));
  }

  #afterSeek(target, tracesPerRun) {
    tracesPerRun.forEach((traces, i) => {
      this.#panels[i].tracker.clear();
      for (const tr of traces) this.#panels[i].tracker.ingest(tr, this.#floor());
    });
    this.#finishedSent = this.#runs.every((r) => r.finished) && this.#finishedSent;
    for (const m of this.#moments) if (m.at_s > target + 1e-9) m.shown = false;
    this.#showMoment(null);
    this.#narration?.say(`jumped to ${target.toFixed(1)} s`, target, 'jump');
    this.#narration?.flush(performance.now());
    this.#afterChange();
  }

  /// Applies a live action ({do: 'kill_server', server: 2}, ...) now. Returns the primary's answer.
  inject(action) {
    if (this.#stream) return this.#stream.inject(action);
    if (!this.#runs.length) return { ok: false, path: '$', message: 'the simulation is not loaded yet', got: null };
    if (this.#jobs.running) return { ok: false, path: '$', message: 'the simulation is still jumping: try again when it is done', got: null };
    if (!action || typeof action !== 'object' || typeof action.do !== 'string') {
      return { ok: false, path: '$.do', message: 'an action needs "do", e.g. {"do": "kill_server", "server": 1}', got: action ?? null };
    }
    const act = { ...action };
    delete act.at_s;  // live actions apply now
    const answer = this.#runs[0].apply(act);
    const selector = act.do === 'set_policy' || act.do === 'set_session_mode';
    if (answer.ok) {
      this.#takeImmediate(0, answer.trace);
      const answers = this.#runs.map((r, i) => {
        if (i === 0) return answer;
        if (selector) return null;
        const b = r.apply(act);
        if (b.ok) this.#takeImmediate(i, b.trace);
        return b;
      });
      this.#tellAction(act, answers);
    } else {
      this.#narration?.say(`could not ${act.do.replace(/_/g, ' ')}: ${answer.message}`, this.#runs[0].now);
    }
    const plain = { ...answer };
    delete plain.trace;
    this.#emit('action', { action: act, ok: !!answer.ok, error: answer.ok ? null : plain });
    this.#afterChange();
    return plain;
  }

  /// Events an action caused at once (requests failed by a kill): drawn and told, except the
  /// ACTION event itself, which #tellAction words with more context.
  #takeImmediate(i, trace) {
    if (!trace?.count) return;
    const run = this.#runs[i];
    const floor = this.#floor();
    this.#panels[i].tracker.ingest(trace, floor);
    if (i === 0 && this.#narration) {
      const kind = trace.kind.slice();
      for (let k = 0; k < kind.length; ++k) if (kind[k] === Kind.ACTION) kind[k] = 255;
      this.#narration.consider({ ...trace, kind }, { mode: run.sessionMode, policy: run.policy, rate: run.rate });
    }
  }

  /// Simulated seconds replayed with their trace after a jump, so the picture at the new time
  /// shows the requests then in flight: about one request's drawn path.
  #lookback() {
    return Math.min(5, 6 * this.#floor());
  }

  #floor() {
    const reduced = this.#reduced?.matches;
    const wall = reduced ? REDUCED_FRAME_MS / 1000 : FLOOR_WALL_S;
    return Math.min(wall * Math.max(this.#speed, 0.05), reduced ? 2 * FLOOR_MAX_S : FLOOR_MAX_S);
  }

  /// Runs the simulation(s) to the end without animation; resolves to the primary's results.
  async runToEnd() {
    await this.ready;
    if (this.#stream) return this.#stream.runToEnd();
    if (!this.#runs.length) return null;
    this.#playing = false;
    await this.#runJob('Running to the end', this.#runs[0].end, this.#runs.map((r) => r.runToEndSteps()), () => {
      for (const p of this.#panels) p.tracker.clear();
      // The log told the stretch that was played; what follows it was not watched.
      this.#narration?.clear();
      this.#narration?.say(`ran to the end (${this.#runs[0].end} s) without drawing: the numbers above are the whole run`, this.#runs[0].now, 'jump');
      this.#narration?.flush(performance.now(), '', true);
      this.#afterChange();
    });
    return this.results();
  }

  /// Results so far of the primary run (null before ready).
  results() { return this.#stream ? this.#stream.results() : this.#runs[0]?.results() ?? null; }
  get compareResults() { return this.#runs[1]?.results() ?? null; }

  /// The view as fields: what a link must carry to reproduce it.
  get state() {
    if (this.#stream) return this.#stream.state;
    const a = this.#runs[0];
    return {
      scenario: this.#meta.scenario ?? null,
      compare: this.#meta.compare ?? null,
      seed: this.#meta.seed ?? null,
      speed: this.#speed,
      time: a ? roundTime(a.now) : 0,
      end: a ? a.end : null,
      playing: this.#playing,
      policy: a?.policy ?? null,
      mode: a?.sessionMode ?? null,
      actions: a ? a.actions.map((x) => ({ ...x })) : [],
    };
  }

  /// The state as a URL query string.
  get stateQuery() {
    const s = this.state;
    return formatQuery({ scenario: s.scenario, compare: s.compare, seed: s.seed, speed: s.speed === 1 ? undefined : s.speed, time: s.time, actions: s.actions });
  }

  /// What the picture has at a point (client pixels): {type: 'server', id, run} | {type: 'store', run} | null.
  debugHit(x, y) {
    if (this.#stream) return this.#stream.debugHit(x, y);
    for (let i = 0; i < this.#panels.length; ++i) {
      const r = this.#panels[i].canvas.getBoundingClientRect();
      if (x < r.left || x > r.right || y < r.top || y > r.bottom) continue;
      const hit = this.#panels[i].diagram.hit(x - r.left, y - r.top);
      return hit ? { ...hit, run: i } : null;
    }
    return null;
  }

  /// Drawing figures for benchmarks: dots drawn last frame, requests followed, frame work times (ms).
  get renderStats() {
    if (this.#stream) return this.#stream.renderStats;
    const n = Math.min(this.#frameCount, this.#frameTimes.length);
    return {
      dots: this.#panels.reduce((s, p) => s + p.diagram.drawn, 0),
      moving: this.#panels.reduce((s, p) => s + p.diagram.moving, 0),
      draws: this.#panels.reduce((s, p) => s + p.diagram.frames, 0),
      flights: this.#panels.reduce((s, p) => s + p.tracker.size, 0),
      frames: n,
      workMs: Array.from(this.#frameTimes.subarray(0, n)),
    };
  }

  // ----- building -----

  #buildShell() {
    this.#built = true;
    // Nothing shows before the styles apply: an unstyled flash would inherit the host's fonts.
    const root = h('div', { class: 'root', part: 'root' });
    this.shadowRoot.replaceChildren(root);
    this.#sheetsReady = widgetSheets().then((sheets) => { this.shadowRoot.adoptedStyleSheets = sheets; });
    this.#onKey = (e) => this.#key(e);
  }

  #queueRebuild() {
    this.#newReady();
    if (this.#rebuildQueued) return;
    this.#rebuildQueued = true;
    queueMicrotask(() => {
      this.#rebuildQueued = false;
      if (this.isConnected) this.#rebuild();
    });
  }

  #selfText() {
    const id = this.id ? ` id="${this.id}"` : '';
    const sc = this.getAttribute('scenario');
    return `<stateless-lab${id}${sc !== null ? ` scenario="${sc.length > 40 ? sc.slice(0, 37) + '...' : sc}"` : ''}>`;
  }

  async #rebuild() {
    const gen = ++this.#gen;
    this.#teardown();
    this.#errors = [];
    this.#fatal = null;
    this.#finishedSent = false;
    const root = this.shadowRoot.querySelector('.root');
    const errorsEl = h('div', { class: 'errors', role: 'alert' });
    this.#loadCore().catch(() => {});  // start loading the core while the styles arrive
    await this.#sheetsReady;
    if (gen !== this.#gen) return;
    root.replaceChildren(errorsEl, h('p', { class: 'loading' }, 'Loading the simulation…'));
    try {
      const input = this.#readInput();
      if (typeof WebAssembly !== 'object') {
        throw new WidgetError('browser', 'this page', 'WebAssembly is not available, so the simulation cannot run');
      }
      let lab;
      try {
        lab = await this.#loadCore();
      } catch (e) {
        this.#labPromise = null;
        throw new WidgetError('simulation core', 'lab/stateless-lab.mjs', `could not be loaded: ${e?.message ?? e}`);
      }
      // Each stage of building a view is a task of its own (loading, creating the runs, the
      // DOM, the first drawing, each chart), so no task of it blocks the page for long.
      await nextTask();
      if (gen !== this.#gen) return;
      if (!input.state.scenario) {
        const names = lab.scenarios().map((s) => s.name).join(', ');
        const bad = input.badScenario;
        throw new WidgetError(bad ? bad.what : 'attribute scenario', bad ? bad.where : this.#selfText(),
          bad ? `${bad.message}; registered scenarios: ${names}` : `is missing: name a registered scenario (${names}) or give the URL of a scenario JSON`);
      }
      const a = await this.#loadScenario(lab, input.state.scenario, input.scenarioWhere);
      if (gen !== this.#gen) return;
      if (input.state.seed !== undefined) a.obj.seed = input.state.seed;
      if (a.obj.kind === 'stream') return await this.#mountStream(lab, a, input, root, gen);
      let b = null;
      const cmp = input.state.compare;
      if (cmp?.kind === 'variant') {
        const obj = structuredClone(a.obj);
        if (cmp.mode) obj.session = { ...(obj.session ?? {}), mode: cmp.mode };
        if (cmp.policy) obj.balancer = { ...(obj.balancer ?? {}), policy: cmp.policy };
        b = { obj, label: cmp.text };
      } else if (cmp?.kind === 'scenario') {
        b = await this.#loadScenario(lab, cmp.ref, input.compareWhere);
        if (gen !== this.#gen) return;
        b.obj.seed = a.obj.seed ?? 1;  // same seed: the same users arrive at the same times
      }
      for (const [s, what, where] of [[a, 'scenario', input.scenarioWhere], [b, 'compare', input.compareWhere]]) {
        if (!s) continue;
        const v = lab.validate(s.obj);
        if (!v.ok) {
          throw new WidgetError(`${where.what.replace(/scenario|compare/, what)} "${s.ref}"`, where.where,
            `${v.path}: ${v.message}${v.got ? ` (got ${v.got})` : ''}`);
        }
      }
      const runs = [];
      try {
        runs.push(new ClusterRun(lab, a.obj));
        if (b) runs.push(new ClusterRun(lab, b.obj));
      } catch (e) {
        for (const r of runs) r.delete();
        throw new WidgetError(input.scenarioWhere.what, input.scenarioWhere.where, `${e?.path ? `${e.path}: ` : ''}${e?.message ?? e}${e?.got ? ` (got ${e.got})` : ''}`);
      }
      this.#runs = runs;
      await nextTask();
      if (gen !== this.#gen) return;
      this.#meta = {
        scenario: input.state.scenario.text,
        compare: cmp?.text ?? null,
        seed: a.obj.seed ?? 1,
        title: a.obj.title || a.obj.name || input.state.scenario.text,
        description: typeof a.obj.description === 'string' ? a.obj.description : '',
        titleB: b ? (cmp.kind === 'variant' ? `${a.obj.title || a.obj.name || input.state.scenario.text}, ${cmp.text.replace(/_/g, ' ')}` : (b.obj.title || b.obj.name || cmp.text)) : null,
        users: [a.obj.traffic?.users ?? 1000, b?.obj.traffic?.users ?? 1000],
        workers: [a.obj.servers?.workers ?? 1, b?.obj.servers?.workers ?? 1],
        storeWorkers: [a.obj.store?.workers ?? 4, b?.obj.store?.workers ?? 4],
        denyList: [!!a.obj.token?.deny_list, !!b?.obj.token?.deny_list],
        baseRate: a.obj.traffic?.rate_per_s ?? 100,
        schedule: scheduleOf(a.obj),
      };
      this.#groups = input.groups;
      this.#speed = input.state.speed ?? 1;
      // Replay a linked view: its live actions, then its time.
      const time = input.state.time ?? 0;
      const actions = input.state.actions ?? [];
      if (time > runs[0].end) {
        this.#errors.push({ what: input.timeWhere.what, where: input.timeWhere.where, message: `is past the end of the scenario (${runs[0].end} s); showing the end` });
      }
      const primed = runs.map(() => []);
      if (actions.length || time > 0) {
        const lookback = Math.min(5, 6 * Math.min(FLOOR_MAX_S, FLOOR_WALL_S * Math.max(this.#speed, 0.05)));
        const loading = root.querySelector('.loading');
        for (const [i, r] of runs.entries()) {
          const list = i === 0 ? actions : actions.filter((x) => x.do !== 'set_policy' && x.do !== 'set_session_mode');
          // In slices between tasks, so that a far link never blocks the page.
          const steps = r.rebuildSteps(list, time, lookback);
          let step;
          while (!(step = runFor(steps, SLICE_MS)).done) {
            if (loading) loading.textContent = `Replaying the link: ${Math.floor((100 * step.at) / Math.max(time, 1e-9))}%…`;
            await new Promise((ok) => setTimeout(ok, 0));
            if (gen !== this.#gen) return;
          }
          const { refused, traces } = step.value;
          primed[i] = traces;
          if (i === 0) {
            for (const f of refused) {
              this.#errors.push({ what: input.actionsWhere.what, where: input.actionsWhere.where, message: `action "${f.action.do}" at ${f.action.at_s} s was refused: ${f.error.message}` });
            }
          }
        }
      }
      this.#errors.push(...input.errors);
      this.#buildView(root);
      await nextTask();
      if (gen !== this.#gen) return;
      this.#mountView();
      await nextTask();
      if (gen !== this.#gen) return;
      primed.forEach((traces, i) => { for (const tr of traces) this.#panels[i].tracker.ingest(tr, this.#floor()); });
      this.#readMoments();
      for (const m of this.#moments) m.shown = m.at_s <= runs[0].now + 1e-9;
      this.#renderErrors();
      this.#draw(performance.now(), true);
      this.firstFrameAt = performance.now();
      await nextTask();
      if (gen !== this.#gen) return;
      this.#updateUi(performance.now(), true);
      if (this.#groups.has('charts')) this.#makeCharts();
      this.#readyResolve?.();
      this.#emit('ready', { scenario: this.#meta.scenario, seed: this.#meta.seed, compare: this.#meta.compare });
      if (this.hasAttribute('autoplay')) this.play();
    } catch (e) {
      if (gen !== this.#gen) return;
      const info = e instanceof WidgetError ? e.info : { what: 'widget', where: this.#selfText(), message: String(e?.message ?? e) };
      this.#showFatal(root, info);
      this.#readyResolve?.();
    }
  }

  /// A stream scenario gets the stream view (./stream-view.mjs, loaded only then), which renders
  /// below the error box, fires the same stateless-lab:* events on this element and has its
  /// methods. `compare` has no meaning for streams and is ignored with a warning.
  async #mountStream(lab, a, input, root, gen) {
    const { StreamView } = await import('./stream-view.mjs');
    if (gen !== this.#gen) return;
    if (input.state.compare) this.#errors.push({ ...input.compareWhere, message: 'is not supported for stream scenarios; showing the scenario alone' });
    const mount = h('div');
    root.replaceChildren(root.querySelector('.errors'), mount);
    this.#readMoments();
    let view;
    try {
      view = new StreamView(mount, lab, a.obj, {
        speed: input.state.speed ?? 1, controls: input.groups, time: input.state.time ?? 0,
        actions: input.state.actions ?? [], autoplay: this.hasAttribute('autoplay'),
        name: input.state.scenario.text, eventTarget: this, moments: this.#moments,
      });
    } catch (e) {
      throw new WidgetError(`${input.scenarioWhere.what} "${a.ref}"`, input.scenarioWhere.where, `${e?.path ? `${e.path}: ` : ''}${e?.message ?? e}${e?.got ? ` (got ${e.got})` : ''}`);
    }
    this.#stream = view;
    this.#meta = { scenario: input.state.scenario.text, compare: null, seed: a.obj.seed ?? 1 };
    this.#speed = view.speed;
    await view.ready;
    if (gen !== this.#gen) return;
    this.#errors.push(...input.errors);
    this.#renderErrors();
    this.firstFrameAt = view.firstFrameAt;
    this.#readyResolve?.();
  }

  /// Reads attributes (and, with sync-url, the page URL). Returns the merged state, the groups,
  /// errors, and where each field came from (for error messages).
  #readInput() {
    const self = this.#selfText();
    const attrName = (f) => (f === 't' ? 'time' : f);
    const resume = this.#resume;
    this.#resume = null;
    const fromAttrs = readState((f) => (resume ? resume[f] ?? null : this.getAttribute(attrName(f))));
    const where = {};
    for (const f of stateFields) where[f] = { what: `attribute ${attrName(f)}`, where: self };
    const errors = fromAttrs.errors.map((e) => ({ what: `attribute ${attrName(e.field)}`, where: self, message: e.message }));
    const state = { ...fromAttrs.state };
    let badScenario = fromAttrs.errors.find((e) => e.field === 'scenario') ? { ...where.scenario, message: fromAttrs.errors.find((e) => e.field === 'scenario').message } : null;
    if (this.hasAttribute('sync-url') && !this.#urlRead && !resume) {
      this.#urlRead = true;  // the page URL sets the first view; later attribute changes win
      const params = new URLSearchParams(location.search);
      const fromUrl = readState((f) => params.get(f));
      const page = `this page's address, ${location.pathname}`;
      for (const f of stateFields) if (params.has(f)) where[f] = { what: `URL parameter ${f}`, where: page };
      for (const e of fromUrl.errors) errors.push({ what: `URL parameter ${e.field}`, where: page, message: e.message });
      if (fromUrl.errors.some((e) => e.field === 'scenario')) {
        const e = fromUrl.errors.find((x) => x.field === 'scenario');
        badScenario = { ...where.scenario, message: e.message };
        if (state.scenario) { badScenario = null; }  // the attribute's scenario still works
      }
      Object.assign(state, fromUrl.state);
      // Time and actions belong together: a link's time without its actions would mislead.
      if (fromUrl.state.scenario && !params.has('actions')) delete state.actions;
      if (fromUrl.state.scenario && !params.has('t')) delete state.time;
    }
    if (badScenario) errors.splice(errors.findIndex((e) => e.what === badScenario.what), 1);
    const c = parseControls(this.getAttribute('controls'));
    if (c.error) errors.push({ what: 'attribute controls', where: self, message: c.error });
    return {
      state, errors, badScenario,
      groups: c.value ?? parseControls(null).value,
      scenarioWhere: where.scenario, compareWhere: where.compare, timeWhere: where.t, actionsWhere: where.actions,
    };
  }

  /// A scenario object from a reference {kind, text}. Returns {obj, ref}.
  async #loadScenario(lab, ref, where) {
    let text;
    if (ref.kind === 'name') {
      const names = lab.scenarios().map((s) => s.name);
      if (!names.includes(ref.text)) {
        throw new WidgetError(where.what, where.where, `no registered scenario is called "${ref.text}"; registered: ${names.join(', ')}`);
      }
      text = lab.scenarioText(ref.text);
    } else if (ref.kind === 'inline') {
      text = ref.text;
    } else {
      let url;
      try { url = new URL(ref.text, document.baseURI); } catch {
        throw new WidgetError(where.what, where.where, `"${ref.text}" is not a URL`);
      }
      let res;
      try { res = await fetch(url); } catch (e) {
        throw new WidgetError(where.what, where.where, `could not fetch ${url.href}: ${e?.message ?? e}`);
      }
      if (!res.ok) throw new WidgetError(where.what, where.where, `could not fetch ${url.href}: HTTP ${res.status}`);
      text = await res.text();
    }
    let obj;
    try { obj = JSON.parse(text); } catch (e) {
      throw new WidgetError(where.what, where.where, `"${ref.text.length > 40 ? ref.text.slice(0, 37) + '...' : ref.text}" is not valid JSON: ${e.message}`);
    }
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) {
      throw new WidgetError(where.what, where.where, `"${ref.text}" must hold a JSON object`);
    }
    if (obj.kind && obj.kind !== 'cluster' && obj.kind !== 'stream') {
      throw new WidgetError(where.what, where.where, `"${ref.text}" is a ${obj.kind} scenario; this widget shows cluster scenarios`);
    }
    return { obj, ref: ref.kind === 'inline' ? 'inline JSON' : ref.text };
  }

  #buildView(root) {
    const g = this.#groups;
    const compare = this.#runs.length > 1;
    const errorsEl = root.querySelector('.errors');
    const stage = h('div', { class: compare ? 'stage two' : 'stage' });
    this.#panels = this.#runs.map((run, i) => {
      const label = i === 0 ? this.#labels.a : this.#labels.b;
      const title = i === 0 ? this.#meta.title : this.#meta.titleB;
      const desc = compare ? '' : this.#meta.description;
      const canvas = h('canvas', { role: 'img', 'aria-label': 'Cluster diagram' });
      const arch = h('span', { class: 'panel-arch' });
      const stats = h('ul', { class: 'stats', 'aria-label': `${compare ? `${label}: ` : ''}numbers so far` });
      const fig = h('figure', { class: 'panel', 'data-run': i === 0 ? 'a' : 'b' },
        h('figcaption', { class: 'panel-head' },
          h('span', { class: 'panel-title' }, compare ? `${label}: ${title}` : title), arch),
        ...(desc ? [h('p', { class: 'panel-desc' }, desc)] : []), canvas, stats);
      stage.append(fig);
      const diagram = new Diagram(canvas);
      canvas.addEventListener('click', (e) => this.#canvasClick(e, i));
      canvas.addEventListener('pointermove', (e) => {
        const r = canvas.getBoundingClientRect();
        canvas.classList.toggle('pointer', !!diagram.hit(e.clientX - r.left, e.clientY - r.top) && g.has('cluster'));
      });
      return { canvas, diagram, tracker: new FlightTracker(), stats, arch, fig, layoutKey: '' };
    });
    const moment = h('p', { class: 'moment', role: 'status' });
    moment.hidden = true;
    const busy = h('div', { class: 'busy', role: 'status' });
    busy.hidden = true;
    this.#jobs = new Jobs(busy, {
      onCancel: () => {
        this.#narration?.say('stopped where it had got to', this.#runs[0]?.now ?? 0, 'jump');
        this.#afterChange();
      },
    });
    const parts = [errorsEl, stage, moment, busy];
    if (g.has('legend')) parts.push(this.#legend());
    const controlsEl = h('div', { class: 'controls' });
    if (g.has('playback') || g.has('cluster')) parts.push(controlsEl);
    const hint = h('p', { class: 'hint' }, g.has('cluster') ? 'Keys inside the widget: K play/pause, . step, R reset. Click or tap a server in the picture to kill or restart it.' : 'Keys inside the widget: K play/pause, . step, R reset.');
    if (g.has('playback')) parts.push(hint);
    let summaryEl = null;
    if (compare) { summaryEl = h('div', { class: 'summary' }); parts.push(summaryEl); }
    const chartsEl = h('div', { class: 'charts' });
    if (g.has('charts')) parts.push(chartsEl);
    let narrList = null;
    let live = null;
    if (g.has('narration')) {
      const hid = `sl-narr-${++narrationIds}`;
      narrList = h('ul', { 'aria-labelledby': hid, tabindex: '0' });
      // Not a heading: the widget cannot know the heading levels of the page around it.
      parts.push(h('section', { class: 'narration', 'aria-labelledby': hid }, h('p', { id: hid, class: 'narration-title' }, 'What just happened'), narrList));
    }
    live = h('div', { class: 'sr-only', 'aria-live': 'polite', 'aria-atomic': 'true' });
    parts.push(live);
    root.replaceChildren(...parts);
    root.addEventListener('keydown', this.#onKey);

    this.#narration = new Narration(narrList, live);
    if (g.has('playback') || g.has('cluster')) {
      this.#controls = new Controls(controlsEl, g, (type, value) => this.#control(type, value), {
        compare, baseRate: this.#meta.baseRate, users: this.#meta.users[0], schedule: this.#meta.schedule,
      });
    }
    if (summaryEl) this.#summary = new CompareSummary(summaryEl);
  }

  /// Theme, motion, size and visibility of the view #buildView made: its first style and layout
  /// pass, in a task of its own.
  #mountView() {
    const stage = this.shadowRoot.querySelector('.stage');
    this.#dark = matchMedia('(prefers-color-scheme: dark)');
    this.#reduced = matchMedia('(prefers-reduced-motion: reduce)');
    this.#dark.addEventListener('change', this.#onTheme);
    this.#reduced.addEventListener('change', this.#onMotion);
    this.#applyTheme();
    // Sizes are read here, once per change, never in the frame loop (no forced layouts).
    this.#ro = new ResizeObserver(() => {
      for (const p of this.#panels) {
        p.width = p.canvas.clientWidth || p.fig.clientWidth || 600;
        p.top = p.fig.offsetTop;
      }
      this.#relayout(true);
    });
    this.#ro.observe(stage);
    this.#io = new IntersectionObserver((entries) => {
      this.#visible = entries.some((e) => e.isIntersecting);
      if (this.#visible) this.#requestFrame();
    });
    this.#io.observe(this);
    this.#relayout(false);
  }

  /// The charts, one per task after the view is up; they draw once all are built.
  #makeCharts() {
    const gen = this.#gen;
    const el = this.shadowRoot.querySelector('.charts');
    this.#chartsReady = import('./charts.mjs')
      .then(({ Charts }) => Charts.create(el, this.#chartOptions(), { nextTask, wanted: () => gen === this.#gen && el.isConnected }))
      .then((charts) => {
        if (!charts) return;
        this.#charts = charts;
        this.#updateUi(performance.now(), true);
      })
      .catch((e) => this.#addError({ what: 'charts', where: 'the chart module', message: `could not be loaded: ${e?.message ?? e}` }));
  }

  #chartOptions() {
    const cs = getComputedStyle(this.shadowRoot.querySelector('.root'));
    return {
      compare: this.#runs.length > 1, labels: this.#labels, theme: this.#theme(),
      colors: { fg: cs.getPropertyValue('--sl-fg').trim(), muted: cs.getPropertyValue('--sl-muted').trim(), line: cs.getPropertyValue('--sl-line').trim() },
    };
  }

  #legend() {
    const ul = h('ul', { class: 'legend', 'aria-label': 'Legend' });
    for (const o of outcomes) {
      const li = h('li');
      li.innerHTML = shapeSvg(o.code);
      li.append(o.label);
      ul.append(li);
    }
    ul.append(h('li', {}, h('span', { class: 'ring', 'aria-hidden': 'true' }), 'ring: carries a token'));
    ul.append(h('li', {}, 'dashed box: server down'));
    return ul;
  }

  #theme() { return this.#dark?.matches ? 'dark' : 'light'; }

  #onTheme = () => {
    this.#applyTheme();
    if (this.#charts) {
      this.#charts.destroy();
      this.#charts = null;
      if (this.shadowRoot.querySelector('.charts') && this.#runs.length) this.#makeCharts();
    }
    this.#draw(performance.now(), true);
  };

  #onMotion = () => { this.#draw(performance.now(), true); };

  #applyTheme() {
    const root = this.shadowRoot.querySelector('.root');
    for (const p of this.#panels) p.diagram.setTheme(root, this.#theme());
  }

  #showFatal(root, info) {
    this.#teardown();
    this.#fatal = info;
    const box = h('div', { class: 'errors', role: 'alert' });
    box.append(h('p', {}, h('strong', {}, 'The simulation cannot start. '), `${info.what} (${info.where}): ${info.message}`));
    root.replaceChildren(box, h('slot'));  // the author's fallback content, if any
    this.#emit('error', info);
  }

  #addError(info) {
    this.#errors.push(info);
    this.#renderErrors();  // shows it and fires stateless-lab:error once
  }

  #clearError(what) {
    this.#errors = this.#errors.filter((e) => e.what !== what);
    this.#renderErrors();
  }

  #renderErrors() {
    const box = this.shadowRoot.querySelector('.errors');
    if (!box) return;
    box.replaceChildren(...this.#errors.map((e) => h('p', {}, h('code', {}, e.what), ` (${e.where}): ${e.message}`)));
    for (const e of this.#errors) if (!e.sent) { e.sent = true; this.#emit('error', { what: e.what, where: e.where, message: e.message }); }
  }

  #teardown() {
    this.#jobs.cancel();
    this.#stream?.destroy();
    this.#stream = null;
    if (this.#raf) cancelAnimationFrame(this.#raf);
    this.#raf = 0;
    this.#playing = false;
    this.#ro?.disconnect(); this.#ro = null;
    this.#io?.disconnect(); this.#io = null;
    this.#dark?.removeEventListener('change', this.#onTheme);
    this.#reduced?.removeEventListener('change', this.#onMotion);
    this.#charts?.destroy(); this.#charts = null;
    this.#controls = null;
    this.#summary = null;
    this.#narration = null;
    for (const r of this.#runs) r.delete();
    this.#runs = [];
    this.#panels = [];
    this.shadowRoot.querySelector('.root')?.removeEventListener('keydown', this.#onKey);
  }

  // ----- driving -----

  /// Runs step generators (one per run; see cluster-run.mjs) as a job (job.mjs): within one
  /// slice now, else in slices between tasks with a progress bar and Cancel. Playback pauses
  /// while it runs. Resolves to false if it was cancelled or replaced, else true.
  #runJob(label, target, gens, done) {
    const gen = this.#gen;
    return this.#jobs.run(label, target, gens, done, {
      stale: () => gen !== this.#gen,
      pause: () => { const was = this.#playing; this.#playing = false; return was; },
      resume: (was) => { if (was) this.play(); },
    });
  }

  #resetRuns() {
    for (const r of this.#runs) r.rebuild([], 0);
    for (const p of this.#panels) p.tracker.clear();
    this.#narration?.clear();
    this.#finishedSent = false;
  }

  #setSpeed(s) {
    this.#speed = Math.min(100, Math.max(0.01, s));
    if (this.#stream) this.#stream.speed = this.#speed;
    this.#afterChange();
  }

  #control(type, value) {
    switch (type) {
      case 'play': this.play(); break;
      case 'pause': this.pause(); break;
      case 'step': this.step(); break;
      case 'reset': this.reset(); break;
      case 'speed': this.#speed = value; this.#afterChange(); break;
      case 'seek':
        this.#pendingSeek = value;
        this.#requestFrame();
        break;
      case 'jump':
        this.seek(Math.max(0, value - JUMP_LEAD_S)).then((done) => { if (done !== false) this.play(); });
        break;
      case 'set_policy': this.inject({ do: 'set_policy', policy: value }); break;
      case 'set_session_mode': this.inject({ do: 'set_session_mode', mode: value }); break;
      case 'set_rate': this.inject({ do: 'set_rate', rate: value }); break;
      case 'kill_server': case 'restart_server': this.inject({ do: type, server: value }); break;
      case 'add_server': case 'store_down': case 'store_up': case 'rolling_restart': this.inject({ do: type }); break;
      case 'remove_server': {
        const servers = this.#runs[0].servers();
        let id = -1;
        for (let i = servers.length - 1; i >= 0; --i) if (servers[i].alive && servers[i].inRotation && !servers[i].draining) { id = i; break; }
        if (id >= 0) this.inject({ do: 'remove_server', server: id, drain: true });
        break;
      }
      case 'revoke_user': this.inject({ do: 'revoke_user', user: value }); break;
      default: break;
    }
  }

  #key(e) {
    const t = e.composedPath()[0];
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (t && (t.tagName === 'INPUT' && t.type !== 'range' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA')) return;
    if (e.key === 'k' || e.key === 'K') { this.#playing ? this.pause() : this.play(); e.preventDefault(); }
    else if (e.key === '.') { this.step(); e.preventDefault(); }
    else if (e.key === 'r' || e.key === 'R') { this.reset(); e.preventDefault(); }
  }

  #canvasClick(e, panel) {
    if (!this.#groups.has('cluster')) return;
    const p = this.#panels[panel];
    const r = p.canvas.getBoundingClientRect();
    const hit = p.diagram.hit(e.clientX - r.left, e.clientY - r.top);
    if (!hit) return;
    const run = this.#runs[panel];
    if (hit.type === 'server') {
      const s = run.servers()[hit.id];
      if (s) this.inject({ do: s.alive ? 'kill_server' : 'restart_server', server: hit.id });
    } else if (hit.type === 'store') {
      this.inject({ do: run.store().up ? 'store_down' : 'store_up' });
    }
  }

  /// Steps every run by dt simulated seconds and feeds the picture and the narration.
  #advance(dt) {
    const floor = this.#floor();
    this.#runs.forEach((run, i) => {
      if (run.finished) return;
      const trace = run.advance(dt);
      const p = this.#panels[i];
      p.tracker.ingest(trace, floor);
      const ctx = { mode: run.sessionMode, policy: run.policy, rate: run.rate };
      if (i === 0) {
        this.#narration?.consider(trace, ctx);
      }
      // Flash nodes where an action took effect.
      const { kind, detail, to, count } = trace;
      for (let k = 0; k < count; ++k) {
        if (kind[k] !== Kind.ACTION) continue;
        const name = ACTIONS[detail[k]];
        const node = name === 'store_down' || name === 'store_up' ? Node.STORE : to[k] >= 0 ? to[k] : null;
        if (node !== null) p.diagram.flash(node, name === 'kill_server' || name === 'store_down' ? 'bad' : 'good', performance.now());
      }
    });
  }

  /// answers: each run's own answer to the action, in run order (null where it was not applied).
  #tellAction(act, answers) {
    const run = this.#runs[0];
    const ctx = { mode: run.sessionMode, policy: run.policy, rate: run.rate };
    // add_server may revive a dead server's slot: the core's answer says which one it started.
    const server = act.do === 'add_server' ? answers[0].server ?? -1 : act.server ?? -1;
    this.#narration?.say(describeAction(ACTIONS.indexOf(act.do), server, act.user ?? -1, ctx), run.now);
    const now = performance.now();
    this.#panels.forEach((p, i) => {
      const mark = actionHighlight(act, answers[i]);
      if (mark) p.diagram.flash(mark.node, mark.tone, now);
    });
    this.#narration?.flush(now);
  }

  #requestFrame() {
    if (!this.#raf && this.#runs.length) this.#raf = requestAnimationFrame(this.#tick);
  }

  /// Something changed while maybe paused: redraw, refresh numbers, tell the host.
  #afterChange() {
    this.#relayout(false);
    this.#draw(performance.now(), true);
    this.#updateUi(performance.now(), true);
    this.#requestFrame();
  }

  #tick = (ts) => {
    this.#raf = 0;
    if (!this.#runs.length) return;
    try {
      this.#frame(ts);
    } catch (e) {
      // The core stopped (out of memory) or a frame failed: this widget shows why and stops;
      // the page and the other widgets go on.
      this.#showFatal(this.shadowRoot.querySelector('.root'), {
        what: 'simulation', where: this.#selfText(), message: String(e?.text ?? e?.message ?? e),
      });
    }
  };

  #frame(ts) {
    const t0 = performance.now();
    if (this.#pendingSeek !== null) {
      const t = this.#pendingSeek;
      this.#pendingSeek = null;
      this.seek(t);  // redraws and refreshes the numbers itself
    }
    let ended = false;
    if (this.#playing) {
      const dt = this.#lastTs ? Math.min(0.1, (ts - this.#lastTs) / 1000) : 0;
      this.#lastTs = ts;
      if (dt > 0) {
        const now = this.#runs[0].now;
        const until = this.#untilMoment(now);
        if (until <= dt * this.#speed + 1e-6) {
          // A guided moment: stop exactly there and say why.
          this.#advance(until);
          const m = this.#moments.find((x) => !x.shown && Math.abs(x.at_s - this.#runs[0].now) < 1e-6);
          if (m) m.shown = true;
          this.#playing = false;
          this.#showMoment(m);
          this.#narration?.say(m?.caption ?? '', this.#runs[0].now, 'moment');
          this.#emit('moment', { time: this.#runs[0].now, caption: m?.caption ?? '' });
        } else {
          this.#showMoment(null);
          const w0 = performance.now();
          this.#advance(Math.min(dt * this.#speed, this.#budget.capS));
          this.#budget.adapt(dt * this.#speed, performance.now() - w0);
        }
      }
      if (this.#runs.every((r) => r.finished)) { this.#playing = false; ended = true; }
    }
    this.#relayout(false);
    this.#draw(t0, ended);
    this.#narration?.flush(t0);
    this.#updateUi(t0, ended);  // the end is told at once (finished event, Play again)
    const work = performance.now() - t0;
    this.#frameTimes[this.#frameCount++ % this.#frameTimes.length] = work;
    // Paused, frames go on only while a highlight fades out.
    if (this.#playing || this.#panels.some((p) => p.diagram.flashes.length)) this.#requestFrame();
  }

  /// Layout depends on width, server count, whether the store is shown and the pixel ratio;
  /// side-by-side diagrams share the taller height so that they line up.
  #relayout(force) {
    const dpr = Math.min(3, window.devicePixelRatio || 1);
    const specs = this.#panels.map((p, i) => {
      const run = this.#runs[i];
      const mode = run.sessionMode;
      return {
        n: run.servers().length,
        showStore: mode === 'shared_store' || (mode === 'token' && this.#meta.denyList[i]),
        width: p.width ?? (p.width = p.canvas.clientWidth || p.fig.clientWidth || 600),
      };
    });
    const sideBySide = specs.length > 1 && this.#panels[0].top === this.#panels[1].top;
    const minHeight = sideBySide ? Math.max(...specs.map((s) => layoutDiagram(s.width, s.n, s.showStore).height)) : 0;
    this.#panels.forEach((p, i) => {
      const { n, showStore, width } = specs[i];
      const key = `${width}|${n}|${showStore}|${dpr}|${minHeight}`;
      if (!force && key === p.layoutKey) return;
      p.layoutKey = key;
      p.diagram.resize(width, n, showStore, dpr, minHeight);
      if (force) p.diagram.draw(this.#view(i), p.tracker, this.#runs[i].now, { steps: !!this.#reduced?.matches, wallMs: performance.now() });
    });
  }

  #view(i) {
    const run = this.#runs[i];
    return {
      servers: run.servers(), store: run.store(), mode: run.sessionMode, policy: run.policy,
      users: this.#meta.users[i], rate: run.rate, workers: this.#meta.workers[i], storeWorkers: this.#meta.storeWorkers[i],
    };
  }

  #draw(wallMs, force) {
    if (!this.#visible && !force) return;
    const reduced = !!this.#reduced?.matches;
    if (reduced && !force && wallMs - this.#lastReduced < REDUCED_FRAME_MS) return;
    this.#lastReduced = wallMs;
    this.#panels.forEach((p, i) => {
      p.diagram.draw(this.#view(i), p.tracker, this.#runs[i].now, { steps: reduced, wallMs });
    });
  }

  /// Numbers, controls, charts, compare table, canvas descriptions, events, the page URL.
  #updateUi(wallMs, force) {
    if (!this.#runs.length) return;
    if (!force && wallMs - this.#lastUi < UI_MS) return;
    this.#lastUi = wallMs;
    const results = this.#runs.map((r) => r.summary());
    const a = this.#runs[0];
    this.#runs.forEach((run, i) => {
      const r = results[i];
      const p = this.#panels[i];
      const servers = run.servers();
      this.#stats(p, r, run);
      p.arch.textContent = `${policyLabel(run.policy)} · sessions ${modeWords(run.sessionMode)}`;
      const down = servers.filter((s) => !s.alive).length;
      p.canvas.setAttribute('aria-label', `${this.#runs.length > 1 ? (i ? 'B' : 'A') + ': ' : ''}cluster at ${run.now.toFixed(1)} s of ${run.end} s: ${servers.length} servers${down ? ` (${down} down)` : ''}, balancer ${policyLabel(run.policy)}, sessions ${modeWords(run.sessionMode)}; ${compact(r.requests?.completed)} completed, ${compact(r.sessions?.misses)} session misses, ${compact((r.requests?.failed ?? 0) + (r.requests?.rejected ?? 0))} failed or rejected.`);
    });
    this.#controls?.update({
      playing: this.#playing, now: a.now, end: a.end, speed: this.#speed, finished: a.finished,
      policy: a.policy, mode: a.sessionMode, rate: a.rate, servers: a.servers(), store: a.store(),
    });
    // Charts cost the most to redraw: at most twice a second while playing.
    if (this.#charts && (force || wallMs - this.#lastCharts >= CHARTS_MS)) {
      this.#lastCharts = wallMs;
      this.#charts.update(a.seriesForCharts(), this.#runs[1]?.seriesForCharts() ?? null);
      // Far behind (after a long jump): the charts catch up a piece per task.
      if (this.#runs.some((r) => r.seriesBehind)) setTimeout(() => { if (this.#runs.length) this.#updateUi(performance.now(), true); }, 0);
    }
    this.#summary?.update(results[0], results[1], this.#labelOf(0), this.#labelOf(1));
    const state = this.state;
    const summary = (r) => ({
      completed: r.requests?.completed, failed: r.requests?.failed, rejected: r.requests?.rejected, denied: r.requests?.denied,
      misses: r.sessions?.misses, lost: r.sessions?.lost, p50_ms: r.latency_ms?.p50, p99_ms: r.latency_ms?.p99,
    });
    const detail = { ...state, summary: summary(results[0]), compareSummary: results[1] ? summary(results[1]) : null };
    const json = JSON.stringify(detail);
    if (json !== this.#lastStateJson) {
      this.#lastStateJson = json;
      this.#emit('state', detail);
    }
    if (this.#runs.every((r) => r.finished) && !this.#finishedSent) {
      this.#finishedSent = true;
      this.#playing = false;
      // The summary: a run's whole series can be megabytes; results() has it for who wants it.
      this.#emit('finished', { results: results[0], compareResults: results[1] ?? null });
    }
    if (this.hasAttribute('sync-url') && (force || wallMs - this.#lastUrl >= URL_MS)) {
      this.#lastUrl = wallMs;
      this.#writeUrl();
    }
  }

  #labelOf(i) {
    const run = this.#runs[i];
    return `${run.sessionMode.replace(/_/g, ' ')}, ${policyLabel(run.policy)}`;
  }

  #stats(p, r, run) {
    const items = [
      ['completed', 'completed', r.requests?.completed],
      ['failed', 'failed', r.requests?.failed],
      ['rejected', 'rejected', r.requests?.rejected],
      ['misses', 'session misses', r.sessions?.misses],
      ['lost', 'sessions lost', r.sessions?.lost],
      ['denied', 'denied', r.requests?.denied],
      ['p99', 'p99', r.latency_ms?.count ? r.latency_ms.p99 : null, 'ms'],
      ['inflight', 'in flight', r.requests?.in_flight],
    ];
    if (run.sessionMode === 'token') items.push(['revoked', 'revoked accepted', r.auth?.revoked_accepted]);
    if (!p.statItems) p.statItems = new Map();
    for (const [key, label, value, unit] of items) {
      let li = p.statItems.get(key);
      if (!li) {
        li = h('li', { 'data-key': key }, h('span', { class: 'k' }, `${label} `), h('b'));
        p.statItems.set(key, li);
        p.stats.append(li);
      }
      const text = unit ? withUnit(value, unit) : count(value);
      const b = li.lastChild;
      if (b.textContent !== text) b.textContent = text;
      li.dataset.value = value == null ? '' : String(value);
    }
  }

  #writeUrl() {
    const q = this.stateQuery;
    if (q === this.#lastUrlQuery) return;
    this.#lastUrlQuery = q;
    const params = new URLSearchParams(location.search);
    for (const f of stateFields) params.delete(f);
    const rest = params.toString();
    const url = `${location.pathname}?${q}${rest ? `&${rest}` : ''}${location.hash}`;
    try { history.replaceState(history.state, '', url); } catch { /* sandboxed frames may refuse */ }
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(`stateless-lab:${type}`, { detail, bubbles: true, composed: true }));
  }
}

