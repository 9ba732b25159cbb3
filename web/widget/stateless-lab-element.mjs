// <stateless-lab>: one (or, with `compare`, two) simulated clusters animated request by
// request, with controls, live charts and plain-words narration. Attributes are the API; the
// view lives in a shadow root, sizes itself to its container and cleans up when removed.
// This file reads the attributes, loads the scenario and mounts a view (cluster-view.mjs or
// stream-view.mjs); the view's player (player.mjs) plays it and has the element's methods.
// The simulation (rules, randomness, numbers) is the lab core.
import {
  readState, parseControls, parseSpeed, parseMoments, formatQuery, formatActions, stateFields,
} from './url-state.mjs';
import { RemoteRun } from './remote-run.mjs';
import { SimClient } from './sim-client.mjs';
import { ClusterView } from './cluster-view.mjs';
import { STEP_S, lookbackFor } from './player.mjs';
import { scheduleOf } from './narration.mjs';
import { widgetSheets } from './styles.mjs';
import { nextTask } from './next-task.mjs';
import { h } from './dom.mjs';
import { progressLine } from './job.mjs';

let labPromise = null;
/// The lab API, loaded once per page.
export function loadLabOnce() {
  labPromise ??= import('../lab/stateless-lab.mjs').then((m) => m.loadLab());
  return labPromise;
}

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
  #runs = [];  // cluster runs being built, until a view owns them
  #speed = 1;
  #errors = [];
  #fatal = null;
  #readyResolve = null;
  #readyPromise = null;
  #meta = {};
  #sheetsReady = null;
  #urlRead = false;
  #resume = null;
  #moments = [];
  #labPromise = null;  // the core that checks this widget's input (see #loadCore)
  #client = null;      // this widget's simulation host (see #simClient)
  /// The view (a ClusterView, or a StreamView for a "kind": "stream" scenario); its player
  /// plays it and has this element's methods.
  #view = null;

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
    if (this.#view && !this.#fatal) this.#resume = this.#resumeState();
    this.#teardown();
    this.#gen++;
    // Removed for good (still out after this task): its worker goes with it.
    const client = this.#client;
    setTimeout(() => {
      if (this.isConnected || this.#client !== client) return;
      this.#client = null;
      client?.then((c) => c.close());
    }, 0);
  }

  attributeChangedCallback(name, oldValue, value) {
    if (oldValue === value || !this.#built) return;
    if (name === 'moments') {
      this.#readMoments();
      return;
    }
    if (name === 'controls' && this.#view && !this.#fatal) {
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

  /// The core that reads and checks this widget's input (scenarios, defaults, names): the
  /// page's, shared by its widgets. Simulations run in #simClient.
  #loadCore() {
    this.#labPromise ??= loadLabOnce();
    return this.#labPromise;
  }

  /// This widget's simulation host: a Web Worker with a core of its own, so that long jumps
  /// never hold up the page and a core that runs out of memory stops only this widget; where
  /// no worker can start (a CSP that refuses it), a host in this page on a core of its own
  /// (sim-client.mjs).
  #simClient() {
    this.#client ??= SimClient.start();
    return this.#client;
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
    this.#moments = r.value ?? [];
    this.#view?.player.setMoments(this.#moments);
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
  /// @internal For tests: resolves to the live objects of the core that runs this widget's simulations (lab.
  /// liveObjects() there, after every request made before this one); none once it was removed.
  async liveObjects() {
    if (!this.#client) return { simulations: 0 };
    return (await (await this.#client).request({ op: 'live' })).live ?? { simulations: 0 };
  }

  /// Simulated seconds per wall second.
  get speed() { return this.#view?.player.speed ?? this.#speed; }
  set speed(v) { this.setAttribute('speed', String(v)); }
  get playing() { return this.#view?.player.playing ?? false; }
  /// Why the simulation could not start ({what, where, message}), or null.
  get error() { return this.#fatal ?? null; }
  /// Every problem shown: the fatal one, if any, and warnings about input that was ignored.
  get errors() { return [...(this.#fatal ? [this.#fatal] : []), ...this.#errors.map(({ what, where, message }) => ({ what, where, message }))]; }

  play() { if (!this.#fatal) this.#view?.player.play(); }
  pause() { this.#view?.player.pause(); }
  /// Advances by `seconds` of simulated time (paused afterwards); resolves once drawn.
  async step(seconds = STEP_S) { await this.#view?.player.step(seconds); }
  /// Back to time 0, paused; resolves once drawn.
  async reset() { await this.#view?.player.reset(); }

  /// Goes to simulated time t (seconds), replaying from the start. A far jump runs in slices
  /// between frames with a progress bar and Cancel; the returned promise resolves when it is
  /// done (at once for a short one).
  seek(t) { return this.#view ? this.#view.player.seek(t) : Promise.resolve(false); }

  /// Applies a live action ({do: 'kill_server', server: 2}, ...) now. Resolves to the
  /// primary's answer.
  async inject(action) {
    if (!this.#view) return { ok: false, path: '$', message: 'the simulation is not loaded yet', got: null };
    return this.#view.player.inject(action);
  }

  /// Runs the simulation(s) to the end without animation; resolves to the primary's results.
  async runToEnd() {
    await this.ready;
    if (!this.#view) return null;
    await this.#view.player.runToEnd();
    return this.#view.fullResults?.() ?? this.results();
  }

  /// Results of the primary run as last drawn (null before ready): the numbers on screen,
  /// with the series received so far.
  results() { return this.#view?.results() ?? null; }
  get compareResults() { return this.#view?.compareResults ?? null; }

  /// The view as fields: what a link must carry to reproduce it.
  get state() {
    if (this.#view) return this.#view.player.state;
    return {
      scenario: this.#meta.scenario ?? null, compare: this.#meta.compare ?? null, seed: this.#meta.seed ?? null,
      speed: this.#speed, time: 0, end: null, playing: false, policy: null, mode: null, actions: [],
    };
  }

  /// The state as a URL query string.
  get stateQuery() {
    const s = this.state;
    return formatQuery({ scenario: s.scenario, compare: s.compare, seed: s.seed, speed: s.speed === 1 ? undefined : s.speed, time: s.time, actions: s.actions });
  }

  /// What the picture has at a point (client pixels): {type: 'server', id, run} | {type: 'store', run} | null.
  debugHit(x, y) { return this.#view?.debugHit(x, y) ?? null; }

  /// Drawing figures for benchmarks: dots drawn last frame, requests followed, frame work times (ms).
  get renderStats() { return this.#view?.renderStats ?? { dots: 0, moving: 0, draws: 0, flights: 0, frames: 0, workMs: [] }; }

  // ----- building -----

  #buildShell() {
    this.#built = true;
    // Nothing shows before the styles apply: an unstyled flash would inherit the host's fonts.
    const root = h('div', { class: 'root', part: 'root' });
    this.shadowRoot.replaceChildren(root);
    this.#sheetsReady = widgetSheets().then((sheets) => { this.shadowRoot.adoptedStyleSheets = sheets; });
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
      const b = await this.#loadCompare(lab, a, input);
      if (gen !== this.#gen) return;
      this.#runs = await this.#createRuns(lab, a, b, input);
      await nextTask();
      if (gen !== this.#gen) return;
      this.#meta = this.#clusterMeta(lab, a, b, input);
      this.#speed = input.state.speed ?? 1;
      const primed = await this.#replayLink(this.#runs, input, root, gen);
      if (gen !== this.#gen) return;
      this.#errors.push(...input.errors);
      await this.#mountCluster(root, input, primed, gen);
    } catch (e) {
      if (gen !== this.#gen) return;
      const info = e instanceof WidgetError ? e.info : { what: 'widget', where: this.#selfText(), message: String(e?.message ?? e) };
      this.#showFatal(root, info);
      this.#readyResolve?.();
    }
  }

  /// The second scenario of compare mode, or null: a variant of the first or another scenario,
  /// with the first one's seed so that the same users arrive at the same times.
  async #loadCompare(lab, a, input) {
    const cmp = input.state.compare;
    if (cmp?.kind === 'variant') {
      const obj = structuredClone(a.obj);
      if (cmp.mode) obj.session = { ...(obj.session ?? {}), mode: cmp.mode };
      if (cmp.policy) obj.balancer = { ...(obj.balancer ?? {}), policy: cmp.policy };
      return { obj, label: cmp.text };
    }
    if (cmp?.kind !== 'scenario') return null;
    const b = await this.#loadScenario(lab, cmp.ref, input.compareWhere);
    // An invalid first scenario leaves the seed alone: #createRuns reports it by name.
    if (lab.validate(a.obj).ok) b.obj.seed = lab.normalize(a.obj).seed;
    return b;
  }

  /// One run per scenario in the simulation worker, each validated first so that an error
  /// names its attribute.
  async #createRuns(lab, a, b, input) {
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
      const client = await this.#simClient();
      runs.push(await RemoteRun.open(client, a.obj));
      if (b) runs.push(await RemoteRun.open(client, b.obj));
    } catch (e) {
      for (const r of runs) r.delete();
      throw new WidgetError(input.scenarioWhere.what, input.scenarioWhere.where, `${e?.path ? `${e.path}: ` : ''}${e?.message ?? e}${e?.got ? ` (got ${e.got})` : ''}`);
    }
    return runs;
  }

  /// What the cluster view shows besides the runs: titles and settings. The core fills the
  /// defaults, so the view reads every setting from the scenario as run.
  #clusterMeta(lab, a, b, input) {
    const cmp = input.state.compare;
    const [na, nb] = [lab.normalize(a.obj), b ? lab.normalize(b.obj) : null];
    // Without a title or name, a scenario given by address goes by it; one written inline (its
    // JSON) by what it is.
    const scenarioRef = input.state.scenario;
    const titleA = a.obj.title || a.obj.name || (scenarioRef.kind === 'inline' ? 'Cluster scenario' : scenarioRef.text);
    return {
      scenario: input.state.scenario.text,
      compare: cmp?.text ?? null,
      seed: na.seed,
      title: titleA,
      description: typeof a.obj.description === 'string' ? a.obj.description : '',
      titleB: b ? (cmp.kind === 'variant' ? `${titleA}, ${cmp.text.replace(/_/g, ' ')}` : (b.obj.title || b.obj.name || (cmp.ref?.kind === 'inline' ? 'Compared scenario' : cmp.text))) : null,
      users: [na.traffic.users, nb?.traffic.users],
      workers: [na.servers.workers, nb?.servers.workers],
      storeWorkers: [na.store.workers, nb?.store.workers],
      baseRate: na.traffic.rate_per_s,
      schedule: scheduleOf(a.obj),
    };
  }

  /// Replays a linked view (its live actions, then its time) in slices between tasks, so that a
  /// far link never blocks the page; resolves to each run's traces of the last step.
  async #replayLink(runs, input, root, gen) {
    const time = input.state.time ?? 0;
    const actions = input.state.actions ?? [];
    if (time > runs[0].end) {
      this.#errors.push({ what: input.timeWhere.what, where: input.timeWhere.where, message: `is past the end of the scenario (${runs[0].end} s); showing the end` });
    }
    const primed = runs.map(() => []);
    if (!actions.length && !(time > 0)) return primed;
    const lookback = lookbackFor(this.#speed);
    const line = progressLine(document, 'Replaying the link');
    root.querySelector('.loading')?.replaceChildren(...line.nodes);
    for (const [i, r] of runs.entries()) {
      const list = i === 0 ? actions : actions.filter((x) => x.do !== 'set_policy' && x.do !== 'set_session_mode');
      // The runs replay one after the other: the bar covers them all.
      const onProgress = (f) => line.set((i + f) / runs.length);
      const { refused, chunks } = await r.replay(list, time, lookback, { onProgress });
      if (gen !== this.#gen) return primed;
      const traces = chunks.map((c) => c.trace);
      primed[i] = traces;
      if (i === 0) {
        for (const f of refused) {
          this.#errors.push({ what: input.actionsWhere.what, where: input.actionsWhere.where, message: `action "${f.action.do}" at ${f.action.at_s} s was refused: ${f.error.message}` });
        }
      }
    }
    return primed;
  }

  /// Hands the runs to a ClusterView and builds it, one task per stage, then says ready.
  async #mountCluster(root, input, primed, gen) {
    const view = new ClusterView(root, this.#runs, {
      meta: this.#meta, groups: input.groups, speed: this.#speed, eventTarget: this,
      syncUrl: this.hasAttribute('sync-url'), onError: (e) => this.#stopped(e), onWarning: (info) => this.#addError(info),
    });
    this.#view = view;
    this.#runs = [];  // the view owns them now
    await nextTask();
    if (gen !== this.#gen) return;
    view.mount();
    await nextTask();
    if (gen !== this.#gen) return;
    view.prime(primed);
    this.#readMoments();
    view.player.passMoments();
    this.#renderErrors();
    view.player.draw(performance.now(), true);
    this.firstFrameAt = performance.now();
    await nextTask();
    if (gen !== this.#gen) return;
    view.player.refresh(performance.now(), true);
    if (input.groups.has('charts')) view.makeCharts();
    this.#readyResolve?.();
    this.#emit('ready', { scenario: this.#meta.scenario, seed: this.#meta.seed, compare: this.#meta.compare });
    if (this.hasAttribute('autoplay')) this.play();
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
        syncUrl: this.hasAttribute('sync-url'), onError: (e) => this.#stopped(e), client: this.#simClient(),
      });
    } catch (e) {
      throw new WidgetError(`${input.scenarioWhere.what} "${a.ref}"`, input.scenarioWhere.where, `${e?.path ? `${e.path}: ` : ''}${e?.message ?? e}${e?.got ? ` (got ${e.got})` : ''}`);
    }
    this.#view = view;
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
    this.#view?.destroy();
    this.#view = null;
    for (const r of this.#runs) r.delete();
    this.#runs = [];
  }

  /// The core stopped (out of memory) or a frame failed: this widget shows why and stops; the
  /// page and the other widgets go on.
  #stopped(e) {
    this.#showFatal(this.shadowRoot.querySelector('.root'), {
      what: 'simulation', where: this.#selfText(), message: String(e?.text ?? e?.message ?? e),
    });
  }

  #setSpeed(s) {
    this.#speed = Math.min(100, Math.max(0.01, s));
    if (this.#view) this.#view.player.speed = this.#speed;
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(`stateless-lab:${type}`, { detail, bubbles: true, composed: true }));
  }
}

