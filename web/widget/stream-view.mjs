// The stream view: one stream scenario ("kind": "stream") animated event by event. Partitions
// feed workers that run the pipeline's operators and hold window state; crash and restart
// buttons apply live actions; a timeline marks checkpoints, crashes and restarts; numbers
// compare the windows with a crash-free run; a narration tells it in words. The simulation
// (rules, randomness, numbers) is the lab core: this only drives it and draws what it reports.
//
//   import { StreamView } from './widget/stream-view.mjs';
//   const view = new StreamView(container, lab, scenarioText, { speed: 2, controls: 'all' });
//   await view.ready;  view.play();  view.inject({do: 'kill_worker', worker: 1});  view.destroy();
//
// Inside a shadow root that already has the widget's styles (the <stateless-lab> element) the
// view renders into `container`; anywhere else it makes its own shadow root, so neither the
import { Controls } from './controls.mjs';
import { Narration } from './narration.mjs';
import { widgetSheets } from './styles.mjs';
import { parseControls, controlGroups } from './url-state.mjs';
import { RemoteRun } from './remote-run.mjs';
import { SimClient } from './sim-client.mjs';
import { LabError } from '../lab/lab-input.mjs';
import { Player, STEP_S } from './player.mjs';
import { nextTask } from './next-task.mjs';
import { StreamFlights } from './stream-flights.mjs';
import { MarkerKind } from './stream-timeline.mjs';
import { StreamDiagram } from './stream-diagram.mjs';
import { compact, count, withUnit } from './number-format.mjs';
import { describeStreamStep, describeStreamView } from './stream-narration.mjs';
import { marks, markSvg } from './stream-palette.mjs';
import { isStateful, operatorLabel } from './stream-layout.mjs';
import { h } from './dom.mjs';
import { progressLine } from './job.mjs';

let ids = 0;

const modeWords = (mode) => ({
  none: 'no checkpoints (positions committed only)', exactly_once: 'exactly-once checkpoints', at_least_once: 'at-least-once checkpoints',
}[mode] ?? String(mode));

/// The control groups a `controls` option names: a Set, or text as the element's attribute.
function groupsOf(controls) {
  if (controls instanceof Set) return controls;
  if (Array.isArray(controls)) return new Set(controls);
  const r = parseControls(controls ?? null);
  return r.value ?? new Set(controlGroups);
}

export class StreamView {
  /// container: element to render into. lab: the loaded lab API. scenario: a stream scenario
  /// (JSON text or object). options: {speed (1), controls ('all' | Set of groups: playback,
  /// cluster (= worker crash/restart), charts, narration, legend), reducedMotion (true/false;
  /// default: the user's setting), autoplay, time (s), actions ([{at_s, do, worker}]), seed,
  /// name (scenario name for `state`), eventTarget (receives the stateless-lab:* events;
  /// default: the view's own element), moments ([{at_s, caption}]: guided moments, see
  /// setMoments), syncUrl (rewrite the page URL with the state), onError(e) (a frame failed),
  /// client (a SimClient, or a promise of one, whose host runs the simulation: the element's
  /// worker; default: a host in this page on `lab`)}.
  /// Throws (LabError with path and message) if the scenario is invalid.
  constructor(container, lab, scenario, options = {}) {
    const obj = typeof scenario === 'string' ? JSON.parse(scenario) : structuredClone(scenario);
    if (!obj || obj.kind !== 'stream') throw new TypeError('StreamView shows stream scenarios ("kind": "stream")');
    if (options.seed !== undefined) obj.seed = options.seed;
    this.scenario = obj;
    const valid = lab.validate(obj);
    if (!valid.ok) throw new LabError(valid);
    this.client = options.client ?? SimClient.start({ worker: false, loadLab: () => lab });
    /// The simulation (a RemoteRun), once #init has opened it.
    this.run = null;
    this.options = options;
    this.groups = groupsOf(options.controls);
    this.pipeline = Array.isArray(obj.pipeline) ? obj.pipeline : [];
    this.stateful = this.pipeline.some(isStateful);
    this.mode = obj.checkpoint?.mode ?? 'none';
    this.idempotent = obj.sink?.idempotent === true;
    this.flights = new StreamFlights();
    this.destroyed = false;
    this.cached = null;  // results at the last numbers update (the canvas reads them)
    this.charts = null;
    /// performance.now() when the first frame was drawn; null before.
    this.firstFrameAt = null;

    const rootNode = container.getRootNode();
    if (typeof ShadowRoot !== 'undefined' && rootNode instanceof ShadowRoot) {
      this.host = null;
      this.mount = container;
    } else {
      this.host = h('div', { class: 'stateless-lab-stream' });
      container.append(this.host);
      const sr = this.host.attachShadow({ mode: 'open' });
      this.mount = h('div', { class: 'root', part: 'root' });
      sr.append(this.mount);
      this.shadow = sr;
    }
    this.el = h('div', { class: 'stream-view' });
    this.mount.append(this.el);
    this.player = new Player(this, {
      speed: Number(options.speed) || 1,
      eventTarget: options.eventTarget ?? this.host ?? this.el,
      reduced: () => this.#reducedMotion(),
      syncUrl: options.syncUrl,
      onError: options.onError,
      actionExample: '{"do": "kill_worker", "worker": 1}',
      gotOf: (v) => (v === undefined ? '' : JSON.stringify(v)),
    });
    this.player.setMoments(options.moments);
    /// Resolves once the first frame is drawn.
    this.ready = this.#init();
  }

  async #init() {
    // Always after the constructor has returned (the sheets are cached after the first view):
    // the host then holds the view before any event of it fires.
    const sheets = await widgetSheets();
    if (this.shadow) this.shadow.adoptedStyleSheets = sheets;
    if (this.destroyed) return;
    const { actions = [], time = 0 } = this.options;
    this.refused = [];
    const run = await RemoteRun.open(await this.client, this.scenario);
    if (this.destroyed) { run.delete(); return; }
    this.run = run;
    if (actions.length || time > 0) {
      // In the simulation's host (a worker, or in slices between tasks), so that a far link
      // never blocks the page.
      const line = progressLine(document, 'Replaying the link');
      const loading = h('p', { class: 'loading' }, ...line.nodes);
      this.el.append(loading);
      const { refused, chunks } = await run.replay(actions, time, this.player.lookback(), { onProgress: line.set });
      if (this.destroyed) return;
      loading.remove();
      this.refused = refused;
      this.#primeFlights(chunks);
    }
    // A view that starts later has passed the moments before its start.
    this.player.passMoments();
    // Building, the first layout, the numbers and the first drawing are tasks of their own, so
    // no task of them blocks the page for long.
    this.#build();
    await nextTask();
    if (this.destroyed) return;
    this.layout();
    await nextTask();
    if (this.destroyed) return;
    this.player.refresh(performance.now(), true);
    await nextTask();
    if (this.destroyed) return;
    this.player.draw(performance.now(), true);
    this.firstFrameAt = performance.now();
    for (const f of this.refused) this.narration?.say(`could not ${f.action.do.replace(/_/g, ' ')} at ${f.action.at_s} s: ${f.error.message}`, f.action.at_s);
    this.narration?.flush(performance.now(), '', true);
    this.player.emit('ready', { scenario: this.state.scenario, seed: this.state.seed, compare: null, kind: 'stream' });
    if (this.options.autoplay) this.player.play();
  }

  // ----- public API (the element's, so <stateless-lab> can hand its methods over) -----

  get playing() { return this.player.playing; }
  get speed() { return this.player.speed; }
  set speed(v) { this.player.speed = v; }
  play() { this.player.play(); }
  pause() { this.player.pause(); }
  /// Guided moments, [{at_s, caption}] (checked by the element's parseMoments): playing stops
  /// at each once and shows its caption; seeking back before one arms it again.
  setMoments(moments) { this.player.setMoments(moments); }
  /// Advances by `seconds` of simulated time (paused afterwards).
  step(seconds = STEP_S) { this.player.step(seconds); }
  reset() { this.player.reset(); }
  /// Goes to simulated time t (seconds); going back replays from the start with the live
  /// actions applied before t. A far jump runs in slices between tasks with a progress bar and
  /// Cancel; resolves to true once there, false if it was cancelled or replaced.
  seek(t) { return this.player.seek(t); }
  /// Applies a live action now: {do: 'kill_worker' | 'restart_worker', worker}. Returns
  /// {ok: true} or {ok: false, path, message, got}.
  inject(action) { return this.player.inject(action); }

  /// Runs to the end without animation; resolves to the results (the CLI's results JSON).
  async runToEnd() {
    await this.ready;
    if (this.destroyed) return null;
    const done = await this.player.runToEnd();
    if (!done && this.destroyed) return null;
    return this.run.fullResults();
  }

  /// Results as last drawn (the CLI's results JSON for stream scenarios): the numbers on screen
  /// with the series received so far.
  results() { return this.run?.results() ?? null; }
  fullResults() { return this.run.fullResults(); }
  /// The run's history (timeline markers, crashed workers, replays left), as the host keeps it.
  get timeline() { return this.run?.timeline ?? null; }

  /// The view as fields: what a link needs to reproduce it.
  get state() { return this.player.state; }
  get stateQuery() { return this.player.stateQuery; }

  /// What is in the picture at a point (client pixels): {type: 'worker'|'partition', id} | null.
  debugHit(x, y) {
    if (!this.canvas) return null;
    const r = this.canvas.getBoundingClientRect();
    if (x < r.left || x > r.right || y < r.top || y > r.bottom) return null;
    return this.diagram.hit(x - r.left, y - r.top);
  }

  /// Drawing figures for tests and benchmarks: dots drawn last frame, how many between two
  /// places, pictures drawn, flights followed, frame work times (ms).
  get renderStats() {
    const d = this.diagram;
    return {
      dots: d?.drawn ?? 0, moving: d?.moving ?? 0, draws: d?.frames ?? 0, flights: this.flights.size,
      skipped: this.flights.skipped, ...this.player.frameStats,
    };
  }

  /// Stops everything and removes the view; frees the simulation.
  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    this.player.destroy();
    this.ro?.disconnect();
    this.io?.disconnect();
    this.dark?.removeEventListener('change', this.onTheme);
    this.reducedQuery?.removeEventListener('change', this.onMotion);
    this.charts?.destroy();
    this.charts = null;
    this.run?.delete();
    this.el.remove();
    this.host?.remove();
  }

  // ----- what the player asks of its view (player.mjs) -----

  get now() { return this.run?.now ?? 0; }
  get end() { return this.run?.end ?? 0; }
  get finished() { return this.run?.finished ?? false; }
  get mounted() { return !!this.diagram && !this.destroyed; }
  get animating() { return !!this.diagram?.flashes.length; }
  get hasCharts() { return !!this.charts; }

  fields() {
    return {
      scenario: this.options.name ?? this.scenario.name ?? null,
      kind: 'stream',
      compare: null,
      seed: this.scenario.seed ?? 1,
      actions: (this.run?.actions ?? []).map((a) => ({ ...a })),
    };
  }

  /// Resolves to the milliseconds the simulation host worked on the step.
  async advance(dt, numbers = true) {
    const chunks = await this.run.advance(dt, numbers);
    if (!this.destroyed) for (const c of chunks) this.#visit(c);
    return this.run.workMs;
  }

  async restart() {
    await this.run.replay([], 0);
    this.flights.clear();
    this.narration?.clear();
    this.#placeholder();
  }

  /// Brings the numbers up to the run's time.
  async refreshNumbers() {
    await this.run.refreshNumbers();
  }

  async goTo(target, lookback, job) {
    const { done, chunks } = await this.run.seek(target, lookback, this.#runJob(job));
    this.#primeFlights(chunks);
    return done;
  }

  async goToEnd(job) {
    const { done } = await this.run.toEnd(this.#runJob(job));
    this.flights.clear();
    return done;
  }

  /// The run's job for the player's: cancelled when job.signal aborts, telling its progress.
  #runJob({ signal, progress }) {
    return {
      onId: (id) => {
        if (signal.aborted) this.run.cancel(id);
        else signal.addEventListener('abort', () => this.run.cancel(id), { once: true });
      },
      onProgress: progress,
    };
  }

  /// The picture after a jump: the events in flight where it landed.
  #primeFlights(chunks) {
    this.flights.clear();
    for (const c of chunks) this.flights.ingest(c.trace, this.player.floor());
  }

  afterRunToEnd(from) {
    this.flights.clear();
    if (this.run.now > from) this.narration?.say(`ran to the end (${this.run.end} s) without animation`, this.run.now, 'jump');
  }

  async apply(act) {
    const { answer: r, chunks } = await this.run.apply(act);
    if (r.ok) {
      for (const c of chunks) this.#visit(c);
    } else {
      const what = act.do === 'kill_worker' ? `crash worker ${act.worker}` : act.do === 'restart_worker' ? `restart worker ${act.worker}` : act.do.replace(/_/g, ' ');
      this.narration?.say(`could not ${what}: ${r.message}`, this.run.now);
    }
    return r;
  }

  // ----- building -----

  #build() {
    const g = this.groups;
    const s = this.scenario;
    const title = s.title || s.name || 'Stream scenario';
    const arch = this.stateful
      ? `${this.pipeline.map(operatorLabel).join(' → ')} · ${modeWords(this.mode)}`
      : `${this.pipeline.map(operatorLabel).join(' → ') || 'no operators'} · stateless`;
    const sinkWords = this.idempotent ? ' · idempotent sink' : '';
    this.canvas = h('canvas', { role: 'img', 'aria-label': 'Stream diagram' });
    this.statLists = {
      events: h('ul', { class: 'stats', 'aria-label': 'Events so far' }),
      windows: this.stateful ? h('ul', { class: 'stats', 'aria-label': 'Windows compared with a crash-free run' }) : null,
      recovery: h('ul', { class: 'stats', 'aria-label': 'Crashes and checkpoints' }),
    };
    this.statItems = new Map();
    const fig = h('figure', { class: 'panel', 'data-run': 'a', 'data-kind': 'stream' },
      h('figcaption', { class: 'panel-head' }, h('span', { class: 'panel-title' }, title), h('span', { class: 'panel-arch' }, arch + sinkWords)),
      ...(typeof s.description === 'string' && s.description ? [h('p', { class: 'panel-desc' }, s.description)] : []),
      this.canvas, ...Object.values(this.statLists).filter(Boolean));
    this.fig = fig;
    const busy = h('div', { class: 'busy', role: 'status' });
    busy.hidden = true;
    this.player.jobs.box = busy;
    this.momentEl = h('p', { class: 'moment', role: 'status' });
    this.momentEl.hidden = true;
    const parts = [h('div', { class: 'stage' }, fig), this.momentEl, busy];
    if (g.has('legend')) parts.push(this.#legend());
    const controlsEl = h('div', { class: 'controls' });
    if (g.has('playback') || g.has('cluster')) parts.push(controlsEl);
    if (g.has('playback')) {
      parts.push(h('p', { class: 'hint' }, g.has('cluster')
        ? 'Keys inside the view: K play/pause, . step, R reset. Click or tap a worker in the picture to crash or restart it.'
        : 'Keys inside the view: K play/pause, . step, R reset.'));
    }
    const chartsEl = h('div', { class: 'charts' });
    if (g.has('charts')) parts.push(chartsEl);
    let narrList = null;
    if (g.has('narration')) {
      const hid = `sl-stream-narr-${++ids}`;
      narrList = h('ul', { 'aria-labelledby': hid, tabindex: '0' });
      parts.push(h('section', { class: 'narration', 'aria-labelledby': hid }, h('p', { id: hid, class: 'narration-title' }, 'What just happened'), narrList));
    }
    const live = h('div', { class: 'sr-only', 'aria-live': 'polite', 'aria-atomic': 'true' });
    parts.push(live);
    this.el.replaceChildren(...parts);
    this.narrList = narrList;
    this.narration = new Narration(narrList, live);
    this.#placeholder();

    if (g.has('playback')) {
      const pb = h('div');
      controlsEl.append(pb);
      this.controls = new Controls(pb, new Set(['playback']), (type, value) => this.player.control(type, value));
    }
    if (g.has('cluster')) {
      this.workerGrid = h('div', { class: 'servers', role: 'group', 'aria-label': 'Workers: crash or restart' });
      controlsEl.append(h('fieldset', { class: 'workers' }, h('legend', {}, 'Workers (live actions)'), this.workerGrid));
      this.canvas.addEventListener('click', (e) => {
        const hit = this.debugHit(e.clientX, e.clientY);
        if (hit?.type === 'worker') this.#toggleWorker(hit.id);
      });
      this.canvas.addEventListener('pointermove', (e) => {
        this.canvas.classList.toggle('pointer', this.debugHit(e.clientX, e.clientY)?.type === 'worker');
      });
    }
    this.el.addEventListener('keydown', (e) => this.player.key(e));

    this.diagram = new StreamDiagram(this.canvas, this.pipeline);
    this.dark = matchMedia('(prefers-color-scheme: dark)');
    this.reducedQuery = matchMedia('(prefers-reduced-motion: reduce)');
    this.onTheme = () => {
      this.diagram.setTheme(this.el, this.#theme());
      if (this.charts) { this.charts.destroy(); this.charts = null; this.#makeCharts(chartsEl); }
      this.player.draw(performance.now(), true);
    };
    this.onMotion = () => this.player.draw(performance.now(), true);
    this.dark.addEventListener('change', this.onTheme);
    this.reducedQuery.addEventListener('change', this.onMotion);
    this.diagram.setTheme(this.el, this.#theme());
    // The new size is laid out now and drawn in the next frame: a first drawing can take a
    // while, and here it would add to the rendering step that reported the size.
    this.ro = new ResizeObserver(() => {
      this.width = this.canvas.clientWidth || fig.clientWidth || 600;
      this.layout();
      this.player.redrawSoon();
    });
    this.ro.observe(fig);
    this.io = new IntersectionObserver((entries) => {
      this.player.setVisible(entries.some((e) => e.isIntersecting));
    });
    this.io.observe(this.el);
    if (g.has('charts')) this.#makeCharts(chartsEl);
  }

  /// The charts, one per task (a uPlot costs tens of milliseconds on a slow machine); they
  /// draw once all are built.
  #makeCharts(el) {
    import('./stream-charts.mjs').then(({ StreamCharts }) => {
      if (this.destroyed) return null;
      const cs = getComputedStyle(this.el);
      const opts = { theme: this.#theme(), colors: { fg: cs.getPropertyValue('--sl-fg').trim() || '#1b1f24', line: cs.getPropertyValue('--sl-line').trim() || '#d0d7de' } };
      return StreamCharts.create(el, opts, { nextTask, wanted: () => !this.destroyed && el.isConnected });
    }).then((charts) => {
      if (!charts) return;
      this.charts = charts;
      this.player.lastCharts = -Infinity;
      this.player.refresh(performance.now(), true);
    }).catch((e) => this.narration?.say(`the charts could not be loaded: ${e?.message ?? e}`, this.run.now));
  }

  #placeholder() {
    const p = this.narrList?.querySelector('.placeholder');
    if (p) p.textContent = 'Press Play or Step: what happens to events, windows and workers is told here in words.';
  }

  #legend() {
    const ul = h('ul', { class: 'legend', 'aria-label': 'Legend' });
    marks.forEach((m, i) => {
      if (i === 3 && !this.pipeline.some((o) => o.op === 'filter')) return;
      if ((i === 2 || i === 4) && !this.stateful) return;
      const li = h('li');
      li.innerHTML = markSvg(i);
      li.append(m.label);
      ul.append(li);
    });
    const flag = '<svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" focusable="false"><rect x="3" y="1" width="1.6" height="12" fill="currentColor"/><rect x="4" y="1" width="7" height="5" fill="currentColor"/></svg>';
    const ring = '<svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" focusable="false"><circle cx="7" cy="7" r="4.5" fill="none" stroke="currentColor" stroke-width="1.6"/></svg>';
    const add = (svg, text) => { const li = h('li'); li.innerHTML = svg; li.append(text); ul.append(li); };
    add(flag, this.mode === 'none' ? 'flag: commit of input positions (on the timeline and in each partition log)'
      : 'flag: checkpoint (on the timeline and in each partition log)');
    const cross = markSvg(2);
    add(cross, 'cross on the timeline: a worker crashed');
    add(ring, 'ring: a worker restarted');
    ul.append(h('li', {}, 'dashed box: worker down or partition waiting'), h('li', {}, 'dashed line: partition moved by failover'));
    return ul;
  }

  #theme() { return this.dark?.matches ? 'dark' : 'light'; }

  #reducedMotion() {
    return typeof this.options.reducedMotion === 'boolean' ? this.options.reducedMotion : !!this.reducedQuery?.matches;
  }

  // ----- driving -----

  /// One step played: picture and words (the host's timeline has taken its history; `step` is
  /// what it meant, see StreamTimeline.ingest).
  #visit({ trace, step }) {
    this.flights.ingest(trace, this.player.floor());
    if (!step) return;
    const checkpoint = step.checkpointBefore;
    const now = performance.now();
    for (const m of step.news) {
      if (m.kind === MarkerKind.CRASH) this.diagram?.flash(m.worker, 'bad', now);
      else if (m.kind === MarkerKind.RESTART) this.diagram?.flash(m.worker, 'good', now);
    }
    if (!this.narration) return;
    const ctx = { stateful: this.stateful, mode: this.mode, idempotent: this.idempotent, failoverS: this.scenario.processing?.failover_s ?? 2, checkpoint, now: this.run.now };
    for (const s of describeStreamStep(step, ctx)) {
      if (s.notable) this.narration.say(s.text, s.t);
      else this.narration.write(s.t, s.text, false);
    }
  }

  #toggleWorker(id) {
    const w = this.run.workers()[id];
    if (w) this.inject({ do: w.alive ? 'kill_worker' : 'restart_worker', worker: id });
  }

  /// Lays out for the current width and counts (drawn by the next frame).
  layout(force = false) {
    if (!this.diagram) return;
    const dpr = Math.min(3, window.devicePixelRatio || 1);
    const width = this.width ?? (this.width = this.canvas.clientWidth || this.fig.clientWidth || 600);
    const P = this.run.partitions().length;
    const W = this.run.workers().length;
    const key = `${width}|${P}|${W}|${dpr}`;
    if (!force && key === this.layoutKey) return;
    this.layoutKey = key;
    this.diagram.resize(width, { partitions: P, workers: W, operators: this.pipeline.length, output: !this.stateful, results: this.stateful }, dpr);
    if (force) this.player.draw(performance.now(), true);
  }

  #view() {
    const partitions = this.run.partitions();
    let span = 40;
    for (const p of partitions) {
      const base = Math.min(p.checkpoint, p.position);
      span = Math.max(span, p.logEnd - base);
    }
    const r = this.cached;
    return {
      workers: this.run.workers(), partitions, logSpan: span,
      out: r?.events?.out ?? 0, outputs: r?.outputs ?? [], emitted: r?.windows?.emitted ?? 0, windows: r?.windows,
      mode: this.mode, end: this.run.end, rate: this.scenario.source?.rate_per_s ?? 100, keys: this.scenario.source?.keys ?? 20,
      timeline: this.timeline,
    };
  }

  draw(wallMs, reduced) {
    if (!this.diagram?.layout) return;
    if (!this.cached) this.cached = this.run.results();
    this.diagram.draw(this.#view(), this.flights, this.run.now, { steps: reduced, wallMs });
  }

  /// Numbers, buttons, charts, the canvas description; the state and finished events' details.
  refresh(wallMs, { charts, playing, speed }) {
    const r = this.run.results();
    this.cached = r;
    const workers = this.run.workers();
    this.#stats(r);
    this.#workerButtons(workers);
    this.controls?.update({ playing, now: this.run.now, end: this.run.end, speed, finished: this.run.finished });
    if (this.charts && charts) this.charts.update(r.series);
    this.canvas.setAttribute('aria-label', describeStreamView(r, workers, {
      now: this.run.now, end: this.run.end, partitions: this.run.partitions().length, idempotent: this.idempotent, stateful: this.stateful,
    }));
    const w = r.windows ?? {};
    const summary = {
      in: r.events?.in, out: r.events?.out, replayed: r.events?.replayed, duplicates: r.events?.duplicates,
      deduplicated: r.events?.deduplicated, backlog: r.events?.backlog,
      windows_emitted: w.emitted, correct: w.correct, wrong: w.wrong, lost: w.lost, missing: w.missing,
    };
    return { detail: { summary }, finished: { results: r, compareResults: null } };
  }

  #stats(r) {
    const e = r.events ?? {};
    const w = r.windows ?? {};
    const lists = this.statLists;
    const items = [
      [lists.events, 'Events:', [
        ['in', 'in', e.in], ['out', 'out', e.out], ['replayed', 'replayed', e.replayed],
        ['duplicates', 'emitted twice', e.duplicates],
        ...(this.idempotent ? [['deduplicated', 'dropped by the sink', e.deduplicated]] : []),
        ...(this.pipeline.some((o) => o.op === 'filter') ? [['filtered', 'filtered', e.filtered]] : []),
        ['backlog', 'waiting', e.backlog],
        ['lag', 'lag p99', r.lag_ms?.count ? r.lag_ms.p99 : null, 'ms'],
      ]],
      [lists.windows, 'Windows vs a crash-free run:', [
        ['correct', 'correct', w.correct], ['wrong', 'wrong', w.wrong], ['lost', 'lost', w.lost],
        ['missing', 'not out yet', w.missing], ['reference', 'of', w.reference],
      ]],
      [lists.recovery, 'Recovery:', [
        ['crashes', 'crashes', r.recovery?.crashes],
        ['recovery', 'slowest recovery', r.recovery?.recovered ? r.recovery.max_s : null, 's'],
        ['checkpoints', this.mode === 'none' ? 'commits' : 'checkpoints', r.checkpoints?.taken],
      ]],
    ];
    for (const [list, title, rows] of items) {
      if (!list) continue;
      if (!list.firstChild) list.append(h('li', { class: 'k' }, title));
      for (const [key, label, value, unit] of rows) {
        let li = this.statItems.get(key);
        if (!li) {
          li = h('li', { 'data-key': key }, h('span', { class: 'k' }, `${label} `), h('b'));
          this.statItems.set(key, li);
          list.append(li);
        }
        const text = unit ? withUnit(value, unit) : count(value);
        const b = li.lastChild;
        if (b.textContent !== text) b.textContent = text;
        li.dataset.value = value == null ? '' : String(value);
      }
    }
  }

  #workerButtons(workers) {
    const grid = this.workerGrid;
    if (!grid) return;
    if (grid.childElementCount !== workers.length) {
      grid.replaceChildren(...workers.map((w, i) => {
        const b = h('button', { type: 'button', 'data-worker': String(i) });
        b.addEventListener('click', () => this.#toggleWorker(i));
        return b;
      }));
    }
    const owners = this.run.partitions().map((p) => p.owner);
    workers.forEach((w, i) => {
      const b = grid.children[i];
      const owned = owners.filter((o) => o === i).length;
      const state = !w.alive ? 'down'
        : `${owned} ${owned === 1 ? 'partition' : 'partitions'}${this.stateful ? ` · ${compact(w.stateEntries)} ${w.stateEntries === 1 ? 'window' : 'windows'}` : ''}`;
      const key = `${w.alive ? 1 : 0}|${state}`;
      if (b.dataset.key === key) return;
      b.dataset.key = key;
      b.dataset.alive = w.alive ? '1' : '0';
      b.classList.toggle('down', !w.alive);
      b.title = w.alive ? `Crash worker ${i}: its partitions move to the other workers` : `Restart worker ${i}: it takes its partitions back`;
      b.replaceChildren(`${w.alive ? 'Crash' : 'Restart'} W${i}`, h('span', { class: 'sr-only' }, ': '), h('span', { class: 'state' }, state));
    });
  }

}
