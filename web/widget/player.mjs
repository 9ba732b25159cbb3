// The player: plays one view (a cluster view or a stream view) in simulated time. It holds
// what both models share: the frame loop, speed, play/pause/step/seek/reset/run to the end,
// guided moments, how often numbers, charts and the page URL are refreshed, keyboard keys, and
// the stateless-lab:* events of playing (state, action, moment, finished). The view draws and
// owns its model; the player never reads a simulation rule, only the view's time and end.
//
// What the player asks of its view (see cluster-view.mjs and stream-view.mjs):
//   now, end, finished               the model's simulated time (s), its end, whether it ended
//   mounted                          true once the view has its DOM (frames draw only then)
//   advance(dt, numbers)             steps the model by dt simulated seconds, feeding picture and
//                                    words (numbers: whether the numbers are refreshed after it)
//   restart()                        the model back to time 0, picture and words cleared
//   goTo(target, lookback, job)      takes the model to target, stopping early once job.signal
//                                    aborts, telling job.progress(fraction) how far it has got
//                                    (optional); resolves to whether it got there
//   goToEnd(job)                     runs the model to the end, the same way; afterRunToEnd(from)
//                                    once there
//   apply(action)                    a live action now: the model's plain answer ({ok, ...})
//   refreshNumbers()                 (optional) brings the numbers up to the model's time
//   layout(), draw(wallMs, reduced)  lays out for the current size, draws the picture
//   refresh(wallMs, {charts})        numbers and charts; returns {detail, finished}: the state
//                                    event's detail and the finished event's
//   fields()                         the view's fields of `state` (scenario, seed, actions ...)
//   control(type, value)             the view's own controls (live actions)
//   narration, momentEl, animating   its words, its moment box, whether a highlight still fades
// A view whose model runs elsewhere (a Web Worker) answers advance, restart, goTo, goToEnd and
// apply with promises; the player then waits for one answer before asking the next. Its advance
// resolves to the milliseconds the step's simulation took there: the frame budget follows that
// work, not the wait for the answer, which on a busy machine is mostly queueing.
import { Jobs } from './job.mjs';
import { FrameBudget } from './frame-budget.mjs';
import { formatQuery, roundTime, stateFields } from './url-state.mjs';

export const STEP_S = 0.1;            // simulated seconds per Step
const FLOOR_WALL_S = 0.22;            // shortest drawn hop, wall seconds: a 1 ms hop stays visible
const FLOOR_MAX_S = 1;                // ... but at most this many simulated seconds: fast playback
                                      // shows a short-lived sample, never minutes behind
const UI_MS = 250;                    // numbers, buttons and events at most this often while playing
const CHARTS_MS = 500;                // charts redrawn at most this often while playing
const REDUCED_FRAME_MS = 500;         // reduced motion: the picture changes step-wise at this interval
const URL_MS = 5000;                  // page URL rewritten at most this often while playing (each
                                      // history.replaceState costs milliseconds); always on pause
const JUMP_LEAD_S = 1;                // "jump to" a scheduled action lands this long before it
const MOMENT_EPS_S = 1e-6;            // a guided moment this close ahead is due now: frame steps
                                      // add up in floating point and may land a hair short of it
const MAX_FRAME_S = 0.1;              // wall seconds one frame may cover (a hidden tab's gap is not played)

/// The page's clock and frames. Tests hand the player a clock of their own and advance it by hand.
export const pageClock = {
  now: () => performance.now(),
  frame: (cb) => requestAnimationFrame(cb),
  cancel: (id) => cancelAnimationFrame(id),
};

export class Player {
  /// view: see above. options: {speed (1), eventTarget (gets the events), clock (pageClock),
  /// reduced () => whether motion is reduced, syncUrl (rewrite the page URL with the state),
  /// onError(e) when a frame fails (the core stopped), actionExample (text for a bad action),
  /// gotOf(value) how a refusal shows the value it got}.
  constructor(view, options = {}) {
    this.view = view;
    this.eventTarget = options.eventTarget ?? null;
    this.clock = options.clock ?? pageClock;
    this.reduced = options.reduced ?? (() => false);
    this.syncUrl = !!options.syncUrl;
    this.onError = options.onError ?? null;
    this.actionExample = options.actionExample ?? '{"do": "kill_server", "server": 1}';
    this.gotOf = options.gotOf ?? ((v) => v);
    this.speedValue = clampSpeed(Number(options.speed) || 1);
    this.playingValue = false;
    this.playAfterJob = false;  // play() came while a job ran
    this.inFlight = null;       // the view's answer to a step not yet taken (a promise)
    this.destroyed = false;
    this.visible = true;
    this.moments = [];
    this.jobs = new Jobs(null, {
      onCancel: () => {
        this.playAfterJob = false;
        this.view.narration?.say('stopped where it had got to', this.view.now, 'jump');
        this.afterChange();
      },
    });
    this.budget = new FrameBudget();
    this.raf = 0;
    this.lastTs = 0;
    this.lastUi = -Infinity;
    this.lastCharts = -Infinity;
    this.lastUrl = -Infinity;
    this.lastReduced = -Infinity;
    this.pendingSeek = null;
    this.redraw = false;
    this.finishedSent = false;
    this.lastStateJson = '';
    this.lastUrlQuery = '';
    this.frameTimes = new Float32Array(600);
    this.frameCount = 0;
  }

  // ----- playing -----

  /// Whether it plays, or will once the jump under way lands (Play was pressed during it).
  get playing() { return this.playingValue || this.playAfterJob; }
  get speed() { return this.speedValue; }
  set speed(v) {
    const s = Number(v);
    if (!Number.isFinite(s)) return;
    this.speedValue = clampSpeed(s);
    this.afterChange();
  }

  play() {
    if (this.destroyed || !this.view.mounted) return;
    if (this.jobs.running) {
      // Play pressed during a jump: it plays once there.
      this.playAfterJob = true;
      return;
    }
    if (this.view.finished) {
      this.#after(this.#restart(), () => this.#startPlaying());
      return;
    }
    this.#startPlaying();
  }

  #startPlaying() {
    this.playingValue = true;
    this.lastTs = 0;
    this.afterChange();
  }

  /// Runs then(value) once `work` (a view's answer, maybe a promise of value) is in: at once
  /// for a plain one.
  #after(work, then) {
    if (!(work instanceof Promise)) return then(work);
    this.inFlight = work;
    return work.then((value) => {
      if (this.inFlight === work) this.inFlight = null;
      return this.destroyed ? undefined : then(value);
    }, (e) => {
      if (this.inFlight === work) this.inFlight = null;
      this.#fail(e);
    });
  }

  /// The core stopped (out of memory) or a frame failed: this view stops; the page goes on.
  #fail(e) {
    this.playingValue = false;
    if (this.onError) this.onError(e);
    else throw e;
  }

  pause() {
    this.playAfterJob = false;
    if (!this.playingValue) return;
    this.playingValue = false;
    // Paused, the numbers are those of the time it stopped at (playing, they come 4 times a second).
    this.#after(this.view.refreshNumbers?.(), () => this.afterChange());
  }

  /// Advances by `seconds` of simulated time (paused afterwards); resolves once drawn.
  async step(seconds = STEP_S) {
    if (this.destroyed || !this.view.mounted || this.jobs.running) return;
    this.playingValue = false;
    await this.inFlight;
    if (this.destroyed || this.jobs.running) return;
    await this.#after(this.#advance(Math.max(0, Number(seconds) || STEP_S), true), () => {
      this.view.narration?.flush(this.clock.now(), '', true);
      this.afterChange();
    });
  }

  /// Back to time 0, paused; resolves once drawn.
  async reset() {
    if (this.destroyed || !this.view.mounted) return;
    this.jobs.cancel();
    this.playingValue = false;
    this.playAfterJob = false;
    await this.inFlight;
    await this.#after(this.#restart(), () => this.afterChange());
  }

  /// Goes to simulated time t (seconds), replaying from the start when it is behind. A far
  /// jump runs in slices between tasks with a progress bar and Cancel; resolves to true once
  /// there, false if it was cancelled or replaced.
  seek(t) {
    if (this.destroyed || !this.view.mounted) return Promise.resolve(false);
    const target = Math.max(0, Math.min(Number(t) || 0, this.view.end));
    const label = `Jumping to ${target.toFixed(1)} s`;
    const there = () => {
      for (const m of this.moments) if (m.at_s > target + 1e-9) m.shown = false;
      this.#showMoment(null);
      this.finishedSent = this.view.finished && this.finishedSent;
      this.view.narration?.say(`jumped to ${target.toFixed(1)} s`, target, 'jump');
      this.view.narration?.flush(this.clock.now());
      this.afterChange();
    };
    return this.#task(label, (signal, progress) => this.view.goTo(target, this.lookback(), { signal, progress }), there);
  }

  /// Runs to the end without animation; resolves to true once there.
  runToEnd() {
    if (this.destroyed || !this.view.mounted) return Promise.resolve(false);
    this.playingValue = false;
    const from = this.view.now;
    const label = 'Running to the end';
    const there = () => {
      this.view.afterRunToEnd(from);
      this.view.narration?.flush(this.clock.now(), '', true);
      this.afterChange();
    };
    return this.#task(label, (signal, progress) => this.view.goToEnd({ signal, progress }), there);
  }

  /// Applies a live action ({do: 'kill_server', server: 2}, ...) now; resolves to the view's answer.
  async inject(action) {
    if (this.destroyed) return { ok: false, path: '$', message: 'the view was destroyed', got: this.gotOf(null) };
    if (!this.view.mounted) return { ok: false, path: '$', message: 'the simulation is not loaded yet', got: this.gotOf(null) };
    if (!action || typeof action !== 'object' || typeof action.do !== 'string') {
      return { ok: false, path: '$.do', message: `an action needs "do", e.g. ${this.actionExample}`, got: this.gotOf(action ?? null) };
    }
    const act = { ...action };
    delete act.at_s;  // live actions apply now
    // An action during a jump applies where the jump lands (or, cancelled, where it stopped).
    await this.jobs.idle();
    await this.inFlight;
    if (this.destroyed) return { ok: false, path: '$', message: 'the view was destroyed', got: this.gotOf(null) };
    let plain;
    try {
      plain = await this.view.apply(act);
    } catch (e) {
      this.#fail(e);
      return { ok: false, path: '$', message: String(e?.message ?? e), got: this.gotOf(act) };
    }
    this.view.narration?.flush(this.clock.now(), '', true);
    this.emit('action', { action: act, ok: !!plain.ok, error: plain.ok ? null : plain });
    this.afterChange();
    return plain;
  }

  /// Guided moments, [{at_s, caption}]: playing stops at each once and shows its caption;
  /// seeking back before one arms it again.
  setMoments(moments) {
    this.moments = (Array.isArray(moments) ? moments : []).map((m) => ({ at_s: m.at_s, caption: m.caption, shown: false }));
    this.#showMoment(null);
  }

  /// A view that starts later (a link's time) has passed the moments before its start.
  passMoments() {
    for (const m of this.moments) m.shown = m.at_s <= this.view.now + 1e-9;
  }

  /// Simulated seconds replayed with their trace after a jump (see lookbackFor).
  lookback() {
    return lookbackFor(this.speedValue, this.reduced());
  }

  /// Shortest drawn hop, simulated seconds, at the current speed.
  floor() {
    return floorFor(this.speedValue, this.reduced());
  }

  /// The shared fields of `state`, merged with the view's.
  get state() {
    return {
      ...this.view.fields(),
      speed: this.speedValue,
      time: roundTime(this.view.now),
      end: this.view.end,
      playing: this.playing,
    };
  }

  /// The state as a URL query string.
  get stateQuery() {
    const s = this.state;
    return formatQuery({ scenario: s.scenario, compare: s.compare, seed: s.seed, speed: s.speed === 1 ? undefined : s.speed, time: s.time, actions: s.actions });
  }

  /// Frame work times (ms) of the last frames, for benchmarks.
  get frameStats() {
    const n = Math.min(this.frameCount, this.frameTimes.length);
    return { frames: n, workMs: Array.from(this.frameTimes.subarray(0, n)) };
  }

  /// The controls' callbacks: playing here, live actions in the view.
  control(type, value) {
    switch (type) {
      case 'play': this.play(); break;
      case 'pause': this.pause(); break;
      case 'step': this.step(); break;
      case 'reset': this.reset(); break;
      case 'speed': this.speed = value; break;
      case 'seek':
        this.pendingSeek = value;
        this.requestFrame();
        break;
      case 'jump':
        // Play once there (a Play pressed during a jump waits for it; Cancel forgets it).
        this.seek(Math.max(0, value - JUMP_LEAD_S)).then((done) => { if (done !== false && !this.playing) this.play(); });
        if (this.jobs.running) this.play();
        break;
      default: this.view.control?.(type, value); break;
    }
  }

  /// Keys inside the widget: K play/pause, . step, R reset (not while typing in a field).
  key(e) {
    const t = e.composedPath()[0];
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (t && ((t.tagName === 'INPUT' && t.type !== 'range') || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA')) return;
    if (e.key === 'k' || e.key === 'K') { if (this.playing) this.pause(); else this.play(); e.preventDefault(); }
    else if (e.key === '.') { this.step(); e.preventDefault(); }
    else if (e.key === 'r' || e.key === 'R') { this.reset(); e.preventDefault(); }
  }

  /// Whether the view is on screen: hidden views skip drawing.
  setVisible(v) {
    this.visible = v;
    if (v) this.requestFrame();
  }

  /// The size changed: the next frame draws even when paused.
  redrawSoon() {
    this.redraw = true;
    this.requestFrame();
  }

  /// Stops playing and any job; no frame runs after this.
  destroy() {
    this.destroyed = true;
    this.playingValue = false;
    this.jobs.cancel();
    if (this.raf) this.clock.cancel(this.raf);
    this.raf = 0;
  }

  // ----- the loop -----

  /// Something changed while maybe paused: redraw, refresh numbers, tell the host.
  afterChange() {
    if (this.destroyed || !this.view.mounted) return;
    this.view.layout?.();
    const now = this.clock.now();
    this.draw(now, true);
    this.refresh(now, true);
    this.requestFrame();
  }

  requestFrame() {
    if (!this.raf && !this.destroyed && this.view.mounted) this.raf = this.clock.frame(this.#tick);
  }

  #tick = (ts) => {
    this.raf = 0;
    if (this.destroyed || !this.view.mounted) return;
    try {
      this.#frame(ts);
    } catch (e) {
      this.#fail(e);
    }
  };

  #frame(ts) {
    const t0 = this.clock.now();
    if (this.pendingSeek !== null) {
      const t = this.pendingSeek;
      this.pendingSeek = null;
      this.seek(t);  // redraws and refreshes the numbers itself
    }
    if (this.playingValue && !this.inFlight) {
      const dt = this.lastTs ? Math.min(MAX_FRAME_S, (ts - this.lastTs) / 1000) : 0;
      this.lastTs = ts;
      if (dt > 0) this.#play(dt, t0);
    }
    let ended = false;
    if (this.playingValue && !this.inFlight && this.view.finished) { this.playingValue = false; ended = true; }
    this.view.layout?.();
    this.draw(t0, ended || this.redraw);
    this.redraw = false;
    this.view.narration?.flush(t0);
    // Playing, the numbers are refreshed as the step that carried them lands (#play), so that
    // they and the picture's time are one snapshot's; the end is told at once.
    if (!this.playingValue || ended) this.refresh(t0, ended);
    this.frameTimes[this.frameCount++ % this.frameTimes.length] = this.clock.now() - t0;
    // Paused, frames go on only while a highlight fades out.
    if (this.playingValue || this.view.animating) this.requestFrame();
  }

  /// Plays dt wall seconds at the current speed, stopping at a guided moment on the way. The
  /// numbers come with the step when their refresh is due.
  #play(dt, wallMs) {
    const seconds = Math.min(dt * this.speedValue, this.budget.capS);
    const numbers = wallMs - this.lastUi >= UI_MS || this.view.now + seconds >= this.view.end;
    const until = this.#untilMoment();
    const moment = until <= seconds + MOMENT_EPS_S;
    if (!moment) this.#showMoment(null);
    const w0 = this.clock.now();
    const work = this.#advance(moment ? until : seconds, numbers || moment);
    this.#after(work, (workMs) => {
      // A model run elsewhere says how long its step took; one run here took the wall time.
      this.budget.adapt(dt * this.speedValue, work instanceof Promise && Number.isFinite(workMs) ? workMs : this.clock.now() - w0);
      if (moment) this.#stopAtMoment();
      else if (numbers) this.refresh(this.clock.now(), false, true);
      // An answer that came later than its frame is drawn now.
      if (work instanceof Promise) {
        if (!this.playingValue || this.view.finished) this.afterChange();
        else this.requestFrame();
      }
    });
  }

  #stopAtMoment() {
    const now = this.view.now;
    const m = this.moments.find((x) => !x.shown && Math.abs(x.at_s - now) < MOMENT_EPS_S);
    if (m) m.shown = true;
    this.playingValue = false;
    this.#showMoment(m);
    this.view.narration?.say(m?.caption ?? '', now, 'moment');
    this.emit('moment', { time: now, caption: m?.caption ?? '' });
  }

  #untilMoment() {
    const now = this.view.now;
    let next = Infinity;
    for (const m of this.moments) if (!m.shown && m.at_s > now - MOMENT_EPS_S) next = Math.min(next, Math.max(0, m.at_s - now));
    return next;
  }

  #showMoment(m) {
    const box = this.view.momentEl;
    if (!box) return;
    box.hidden = !m;
    box.textContent = m ? m.caption : '';
  }

  /// The view's answer to a step: nothing, or, when its model runs elsewhere, a promise of the
  /// milliseconds the step's simulation took there.
  #advance(dt, numbers) {
    return this.view.finished ? undefined : this.view.advance(dt, numbers);
  }

  #restart() {
    for (const m of this.moments) m.shown = false;
    this.#showMoment(null);
    this.finishedSent = false;
    return this.view.restart();
  }

  /// Runs work done elsewhere (view.goTo, view.goToEnd) as a job; playback pauses while it runs.
  /// A cancelled one still leaves the view where it got to: it is drawn once its answer is in.
  #task(label, task, done) {
    const ran = this.jobs.run(label, task, done, {
      stale: () => this.destroyed,
      pause: () => { const was = this.playingValue || this.playAfterJob; this.playingValue = false; return was; },
      resume: (was) => {
        const again = was || this.playAfterJob;
        this.playAfterJob = false;
        if (again) this.play();
      },
    });
    ran.then((ok) => { if (!ok && !this.destroyed) this.afterChange(); }, (e) => this.#fail(e));
    return ran;
  }

  draw(wallMs, force) {
    if (!this.visible && !force) return;
    const reduced = this.reduced();
    if (reduced && !force && wallMs - this.lastReduced < REDUCED_FRAME_MS) return;
    this.lastReduced = wallMs;
    this.view.draw(wallMs, reduced);
  }

  /// Numbers, controls, charts, events, the page URL: at most every UI_MS while playing (due:
  /// a step has just brought the numbers, which it asks for every UI_MS).
  refresh(wallMs, force, due = false) {
    if (!force && !due && wallMs - this.lastUi < UI_MS) return;
    this.lastUi = wallMs;
    const charts = force || wallMs - this.lastCharts >= CHARTS_MS;
    const { detail, finished } = this.view.refresh(wallMs, { charts, playing: this.playing, speed: this.speedValue });
    if (charts && this.view.hasCharts) this.lastCharts = wallMs;
    const full = { ...this.state, ...detail };
    const json = JSON.stringify(full);
    if (json !== this.lastStateJson) {
      this.lastStateJson = json;
      this.emit('state', full);
    }
    if (this.view.finished && !this.finishedSent) {
      this.finishedSent = true;
      this.playingValue = false;
      this.emit('finished', finished);
    }
    if (this.syncUrl && (force || wallMs - this.lastUrl >= URL_MS)) {
      this.lastUrl = wallMs;
      this.#writeUrl();
    }
  }

  #writeUrl() {
    const q = this.stateQuery;
    if (q === this.lastUrlQuery) return;
    this.lastUrlQuery = q;
    const params = new URLSearchParams(location.search);
    for (const f of stateFields) params.delete(f);
    const rest = params.toString();
    const url = `${location.pathname}?${q}${rest ? `&${rest}` : ''}${location.hash}`;
    try { history.replaceState(history.state, '', url); } catch { /* sandboxed frames may refuse */ }
  }

  emit(type, detail) {
    this.eventTarget?.dispatchEvent(new CustomEvent(`stateless-lab:${type}`, { detail, bubbles: true, composed: true }));
  }
}

/// Shortest drawn hop, simulated seconds, at `speed` (reduced: with reduced motion).
export function floorFor(speed, reduced = false) {
  const wall = reduced ? REDUCED_FRAME_MS / 1000 : FLOOR_WALL_S;
  return Math.min(wall * Math.max(speed, 0.05), reduced ? 2 * FLOOR_MAX_S : FLOOR_MAX_S);
}

/// Simulated seconds replayed with their trace before a time jumped to, so the picture there
/// shows what is then in flight: about one request's drawn path.
export function lookbackFor(speed, reduced = false) {
  return Math.min(5, 6 * floorFor(speed, reduced));
}

function clampSpeed(s) {
  return Math.min(100, Math.max(0.01, s));
}
