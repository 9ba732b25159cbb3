// The cluster view: one (or, with compare, two) simulated clusters drawn request by request,
// with their numbers, charts, compare table and narration. It draws what its runs report and
// what the player (player.mjs) hands it; playing, seeking and the events belong to the player.
import { Player } from './player.mjs';
import { FlightTracker, Kind, Node } from './flights.mjs';
import { ACTIONS, VOCABULARY } from '../lab/stateless-lab.mjs';
import { Diagram, layoutDiagram, policyLabel } from './diagram.mjs';
import { compact, count, withUnit } from './number-format.mjs';
import { Controls } from './controls.mjs';
import { actionHighlight } from './action-highlight.mjs';
import { Narration, describeAction, modeWords } from './narration.mjs';
import { CompareSummary } from './compare-summary.mjs';
import { outcomes, shapeSvg } from './palette.mjs';
import { nextTask } from './next-task.mjs';
import { h } from './dom.mjs';

let narrationIds = 0;

export class ClusterView {
  #root;
  #runs;
  #meta;
  #groups;
  #labels = { a: 'A', b: 'B' };
  #panels = [];
  #controls = null;
  #charts = null;
  #summary = null;
  #narration = null;
  #dark = null;
  #reduced = null;
  #ro = null;
  #io = null;
  #onKey;
  #onWarning;
  #destroyed = false;
  #catchingUp = false;

  /// root: the element to render into (its .errors box stays on top). runs: the ClusterRuns
  /// (the view owns them from now on and deletes them). options: {meta (titles, users, workers
  /// ... of each run), groups (control groups shown), speed, eventTarget, syncUrl,
  /// onError(e) (a frame failed), onWarning({what, where, message})}.
  constructor(root, runs, options) {
    this.#root = root;
    this.#runs = runs;
    this.#meta = options.meta;
    this.#groups = options.groups;
    this.#onWarning = options.onWarning ?? (() => {});
    this.player = new Player(this, {
      speed: options.speed, eventTarget: options.eventTarget, syncUrl: options.syncUrl, onError: options.onError,
      reduced: () => !!this.#reduced?.matches,
    });
    this.#onKey = (e) => this.player.key(e);
    this.#buildView(root);
  }

  // ----- what the player asks of its view (player.mjs) -----

  get now() { return this.#runs[0].now; }
  get end() { return this.#runs[0].end; }
  get finished() { return this.#runs.every((r) => r.finished); }
  get mounted() { return this.#panels.length > 0 && !this.#destroyed; }
  get animating() { return this.#panels.some((p) => p.diagram.flashes.length); }
  get hasCharts() { return !!this.#charts; }
  get narration() { return this.#narration; }
  get momentEl() { return this.#root.querySelector('.moment'); }

  fields() {
    const a = this.#runs[0];
    return {
      scenario: this.#meta.scenario ?? null,
      compare: this.#meta.compare ?? null,
      seed: this.#meta.seed ?? null,
      policy: a.policy,
      mode: a.sessionMode,
      actions: a.actions.map((x) => ({ ...x })),
    };
  }

  async restart() {
    await Promise.all(this.#runs.map((r) => r.replay([], 0)));
    for (const p of this.#panels) p.tracker.clear();
    this.#narration?.clear();
  }

  /// Brings every run's numbers up to its time.
  async refreshNumbers() {
    await Promise.all(this.#runs.map((r) => r.refreshNumbers()));
  }

  /// Takes every run to `target`; resolves to false if job.signal stopped it on the way. The
  /// picture then shows the requests in flight there.
  async goTo(target, lookback, job) {
    const answers = await this.#jobOnRuns(job, (r, runJob) => r.seek(target, lookback, runJob));
    this.prime(answers.map((a) => a.chunks.map((c) => c.trace)));
    return answers.every((a) => a.done);
  }

  async goToEnd(job) {
    const answers = await this.#jobOnRuns(job, (r, runJob) => r.toEnd(runJob));
    return answers.every((a) => a.done);
  }

  /// Starts one job per run: an abort of job.signal cancels each, and the job's progress is
  /// the mean of theirs.
  #jobOnRuns({ signal, progress }, start) {
    const fractions = this.#runs.map(() => 0);
    return Promise.all(this.#runs.map((r, i) => start(r, {
      onId: (id) => {
        if (signal.aborted) r.cancel(id);
        else signal.addEventListener('abort', () => r.cancel(id), { once: true });
      },
      onProgress: (fraction) => {
        fractions[i] = fraction;
        progress?.(fractions.reduce((a, b) => a + b, 0) / fractions.length);
      },
    })));
  }

  afterRunToEnd() {
    for (const p of this.#panels) p.tracker.clear();
    // The log told the stretch that was played; what follows it was not watched.
    this.#narration?.clear();
    this.#narration?.say(`ran to the end (${this.end} s) without drawing: the numbers above are the whole run`, this.now, 'jump');
  }

  /// Replaces the picture's requests with traces (one list per run): those in flight at a new time.
  prime(tracesPerRun) {
    const floor = this.player.floor();
    tracesPerRun.forEach((traces, i) => {
      this.#panels[i].tracker.clear();
      for (const tr of traces) this.#panels[i].tracker.ingest(tr, floor);
    });
  }

  /// A live action on every run (a balancer or session choice only on the primary, which
  /// the other is compared with). Resolves to the primary's plain answer.
  async apply(act) {
    const { answer, chunks } = await this.#runs[0].apply(act);
    const selector = act.do === 'set_policy' || act.do === 'set_session_mode';
    if (answer.ok) {
      this.#takeImmediate(0, chunks);
      const answers = [answer];
      for (const [i, r] of this.#runs.entries()) {
        if (i === 0) continue;
        if (selector) { answers.push(null); continue; }
        const b = await r.apply(act);
        if (b.answer.ok) this.#takeImmediate(i, b.chunks);
        answers.push(b.answer);
      }
      this.#tellAction(act, answers);
    } else {
      this.#narration?.say(`could not ${act.do.replace(/_/g, ' ')}: ${answer.message}`, this.#runs[0].now);
    }
    return answer;
  }

  /// The live actions of the controls; playing is the player's.
  control(type, value) {
    const inject = (a) => this.player.inject(a);
    switch (type) {
      case 'set_policy': inject({ do: 'set_policy', policy: value }); break;
      case 'set_session_mode': inject({ do: 'set_session_mode', mode: value }); break;
      case 'set_rate': inject({ do: 'set_rate', rate: value }); break;
      case 'kill_server': case 'restart_server': inject({ do: type, server: value }); break;
      case 'add_server': case 'store_down': case 'store_up': case 'rolling_restart': inject({ do: type }); break;
      case 'remove_server': {
        const servers = this.#runs[0].servers();
        let id = -1;
        for (let i = servers.length - 1; i >= 0; --i) if (servers[i].alive && servers[i].inRotation && !servers[i].draining) { id = i; break; }
        if (id >= 0) inject({ do: 'remove_server', server: id, drain: true });
        break;
      }
      case 'revoke_user': inject({ do: 'revoke_user', user: value }); break;
      default: break;
    }
  }

  layout() { this.#relayout(false); }

  draw(wallMs, reduced) {
    this.#panels.forEach((p, i) => {
      p.diagram.draw(this.#view(i), p.tracker, this.#runs[i].now, { steps: reduced, wallMs });
    });
  }

  /// Numbers, controls, charts, compare table, canvas descriptions; the details of the state
  /// and finished events.
  refresh(wallMs, { charts, playing, speed }) {
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
      playing, now: a.now, end: a.end, speed, finished: a.finished,
      policy: a.policy, mode: a.sessionMode, rate: a.rate, servers: a.servers(), store: a.store(),
    });
    if (this.#charts && charts) {
      this.#charts.update(a.seriesForCharts(), this.#runs[1]?.seriesForCharts() ?? null);
      // Far behind (after a long jump): the charts catch up a piece per answer.
      if (this.#runs.some((r) => r.seriesBehind) && !this.#catchingUp) {
        this.#catchingUp = true;
        Promise.all(this.#runs.map((r) => r.refreshNumbers())).then(() => {
          this.#catchingUp = false;
          if (!this.#destroyed) this.player.refresh(performance.now(), true);
        }, (e) => this.player.onError?.(e));
      }
    }
    this.#summary?.update(results[0], results[1], this.#labelOf(0), this.#labelOf(1));
    const summary = (r) => ({
      completed: r.requests?.completed, failed: r.requests?.failed, rejected: r.requests?.rejected, denied: r.requests?.denied,
      misses: r.sessions?.misses, lost: r.sessions?.lost, p50_ms: r.latency_ms?.p50, p99_ms: r.latency_ms?.p99,
    });
    return {
      detail: { summary: summary(results[0]), compareSummary: results[1] ? summary(results[1]) : null },
      // The summary: a run's whole series can be megabytes; results() has it for who wants it.
      finished: { results: results[0], compareResults: results[1] ?? null },
    };
  }

  // ----- for the element -----

  /// Results of the primary run at its last snapshot, and of the compared one (null without
  /// compare). fullResults() asks the core for the primary's whole results now.
  results() { return this.#runs[0].results(); }
  fullResults() { return this.#runs[0].fullResults(); }
  get compareResults() { return this.#runs[1]?.results() ?? null; }

  /// What the picture has at a point (client pixels): {type: 'server', id, run} | {type: 'store', run} | null.
  debugHit(x, y) {
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
    return {
      dots: this.#panels.reduce((s, p) => s + p.diagram.drawn, 0),
      moving: this.#panels.reduce((s, p) => s + p.diagram.moving, 0),
      draws: this.#panels.reduce((s, p) => s + p.diagram.frames, 0),
      flights: this.#panels.reduce((s, p) => s + p.tracker.size, 0),
      ...this.player.frameStats,
    };
  }

  /// Stops playing, frees the runs and lets go of the page's observers.
  destroy() {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.player.destroy();
    this.#ro?.disconnect(); this.#ro = null;
    this.#io?.disconnect(); this.#io = null;
    this.#dark?.removeEventListener('change', this.#onTheme);
    this.#reduced?.removeEventListener('change', this.#onMotion);
    this.#charts?.destroy(); this.#charts = null;
    for (const r of this.#runs) r.delete();
    this.#root.removeEventListener('keydown', this.#onKey);
  }

  // ----- drawing -----

  /// Events an action caused at once (requests failed by a kill): drawn and told, except the
  /// ACTION event itself, which #tellAction words with more context.
  #takeImmediate(i, chunks) {
    const run = this.#runs[i];
    const floor = this.player.floor();
    for (const { trace } of chunks) {
      if (!trace?.count) continue;
      this.#panels[i].tracker.ingest(trace, floor);
      if (i === 0 && this.#narration) {
        const kind = trace.kind.slice();
        for (let k = 0; k < kind.length; ++k) if (kind[k] === Kind.ACTION) kind[k] = 255;
        this.#narration.consider({ ...trace, kind }, { mode: run.sessionMode, policy: run.policy, rate: run.rate });
      }
    }
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
    this.player.jobs.box = busy;
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
      this.#controls = new Controls(controlsEl, g, (type, value) => this.player.control(type, value), {
        compare, baseRate: this.#meta.baseRate, users: this.#meta.users[0], schedule: this.#meta.schedule,
      });
    }
    if (summaryEl) this.#summary = new CompareSummary(summaryEl);
  }

  /// Theme, motion, size and visibility of the view the constructor made: its first style and layout
  /// pass, in a task of its own.
  mount() {
    const stage = this.#root.querySelector('.stage');
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
      this.player.setVisible(entries.some((e) => e.isIntersecting));
    });
    this.#io.observe(this.#root);
    this.#relayout(false);
  }

  /// The charts, one per task after the view is up; they draw once all are built.
  makeCharts() {
    const el = this.#root.querySelector('.charts');
    if (!el) return;
    import('./charts.mjs')
      .then(({ Charts }) => Charts.create(el, this.#chartOptions(), { nextTask, wanted: () => !this.#destroyed && el.isConnected }))
      .then((charts) => {
        if (!charts) return;
        if (this.#destroyed) { charts.destroy(); return; }
        this.#charts = charts;
        this.player.refresh(performance.now(), true);
      })
      .catch((e) => this.#onWarning({ what: 'charts', where: 'the chart module', message: `could not be loaded: ${e?.message ?? e}` }));
  }

  #chartOptions() {
    const cs = getComputedStyle(this.#root);
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

  #onTheme = () => {
    this.#applyTheme();
    if (this.#charts) {
      this.#charts.destroy();
      this.#charts = null;
      if (this.#root.querySelector('.charts') && this.#runs.length) this.makeCharts();
    }
    this.player.draw(performance.now(), true);
  };

  #applyTheme() {
    const root = this.#root;
    for (const p of this.#panels) p.diagram.setTheme(root, this.#theme());
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
      if (s) this.player.inject({ do: s.alive ? 'kill_server' : 'restart_server', server: hit.id });
    } else if (hit.type === 'store') {
      this.player.inject({ do: run.store().up ? 'store_down' : 'store_up' });
    }
  }

  /// Steps every run by dt simulated seconds (numbers: whether their numbers come too) and
  /// feeds the picture and the narration once both have answered, so that the two panels of a
  /// comparison always show one simulated time. Resolves to the milliseconds the simulation
  /// host worked on the step (the runs take turns there).
  async advance(dt, numbers = true) {
    const stepped = this.#runs.filter((run) => !run.finished);
    const chunksPerRun = await Promise.all(this.#runs.map((run) => (run.finished ? [] : run.advance(dt, numbers))));
    const workMs = stepped.reduce((sum, run) => sum + run.workMs, 0);
    if (this.#destroyed) return workMs;
    const floor = this.player.floor();
    chunksPerRun.forEach((chunks, i) => {
      const run = this.#runs[i];
      const p = this.#panels[i];
      for (const { trace } of chunks) {
        p.tracker.ingest(trace, floor);
        if (i === 0) this.#narration?.consider(trace, { mode: run.sessionMode, policy: run.policy, rate: run.rate });
        // Flash nodes where an action took effect.
        const { kind, detail, to, count } = trace;
        for (let k = 0; k < count; ++k) {
          if (kind[k] !== Kind.ACTION) continue;
          const name = ACTIONS[detail[k]];
          const node = name === 'store_down' || name === 'store_up' ? Node.STORE : to[k] >= 0 ? to[k] : null;
          if (node !== null) p.diagram.flash(node, name === 'kill_server' || name === 'store_down' ? 'bad' : 'good', performance.now());
        }
      }
    });
    return workMs;
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

  /// Layout depends on width, server count, whether the store is shown and the pixel ratio;
  /// side-by-side diagrams share the taller height so that they line up.
  #relayout(force) {
    const dpr = Math.min(3, window.devicePixelRatio || 1);
    const specs = this.#panels.map((p, i) => {
      const run = this.#runs[i];
      return {
        n: run.servers().length,
        showStore: run.usesStore,
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
    // Revocation is a property of tokens: a mode whose requests carry one can accept a revoked user.
    if (VOCABULARY.sessionModeTraits[run.sessionMode]?.credential === 'token') items.push(['revoked', 'revoked accepted', r.auth?.revoked_accepted]);
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

  #theme() { return this.#dark?.matches ? 'dark' : 'light'; }

  #onMotion = () => { this.player.draw(performance.now(), true); };
}
