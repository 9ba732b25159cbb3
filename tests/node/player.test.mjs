// Player (web/widget/player.mjs), the frame loop both views share, on a clock advanced by hand:
// no wall-clock time is counted, so every expectation follows from the frames given.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Player, STEP_S } from '../../web/widget/player.mjs';

/// A clock whose frames run only when the test says so.
function handClock() {
  let t = 1000;
  let pending = null;
  let ids = 0;
  return {
    now: () => t,
    frame: (cb) => { pending = cb; return ++ids; },
    cancel: () => { pending = null; },
    /// Runs `n` frames `ms` apart; returns how many ran (a paused player asks for none).
    frames(n, ms) {
      let ran = 0;
      for (let i = 0; i < n && pending; ++i) {
        t += ms;
        const cb = pending;
        pending = null;
        cb(t);
        ran += 1;
      }
      return ran;
    },
    get waiting() { return pending !== null; },
  };
}

/// A view over a model that only counts time: what the player asks of a view, and a record
/// of what it was asked.
function countingView(end = 10) {
  const said = [];
  const view = {
    now: 0, end, mounted: true, animating: false, hasCharts: true, momentEl: null,
    refreshes: 0, chartRefreshes: 0, draws: 0, restarts: 0, applied: [],
    get finished() { return this.now >= this.end - 1e-9; },
    narration: { say: (text) => said.push(text), flush() {}, clear() {} },
    said,
    advance(dt) { this.now = Math.min(this.end, this.now + dt); },
    restart() { this.now = 0; this.restarts += 1; },
    async goTo(target) { this.now = target; return true; },
    async goToEnd() { this.now = this.end; return true; },
    afterRunToEnd() {},
    apply(act) { this.applied.push(act); return act.do === 'kill_server' ? { ok: true } : { ok: false, path: '$.do', message: 'unknown' }; },
    draw() { this.draws += 1; },
    refresh(wallMs, { charts }) {
      this.refreshes += 1;
      if (charts) this.chartRefreshes += 1;
      return { detail: { summary: { at: Math.floor(this.now) } }, finished: { results: { t: this.now } } };
    },
    fields() { return { scenario: 'counting', compare: null, seed: 1, actions: [] }; },
  };
  return view;
}

function setup(options = {}) {
  const clock = handClock();
  const view = countingView(options.end);
  const events = [];
  const target = new EventTarget();
  for (const type of ['state', 'action', 'moment', 'finished']) target.addEventListener(`stateless-lab:${type}`, (e) => events.push({ type, detail: e.detail }));
  const player = new Player(view, { clock, eventTarget: target, speed: options.speed ?? 1 });
  return { clock, view, events, player };
}

test('Player advances simulated time by wall time times speed, one frame at a time', () => {
  const { clock, view, player } = setup({ speed: 2 });
  player.play();
  clock.frames(31, 20);  // the first frame only sets the start
  assert.ok(Math.abs(view.now - 30 * 0.02 * 2) < 1e-9, `at ${view.now} s`);
  player.pause();
  const at = view.now;
  assert.equal(clock.frames(10, 20) <= 1, true, 'a paused player asks for no more frames');
  assert.equal(view.now, at);
});

test('Player plays no more than a tenth of a wall second per frame, however long the gap', () => {
  const { clock, view, player } = setup({ speed: 1 });
  player.play();
  clock.frames(1, 16);
  clock.frames(1, 5000);  // a hidden tab comes back
  assert.ok(Math.abs(view.now - 0.1) < 1e-9, `at ${view.now} s`);
});

test('Player stops exactly at a guided moment, says it, and goes past it when played again', () => {
  const { clock, view, events, player } = setup({ speed: 1 });
  player.setMoments([{ at_s: 0.25, caption: 'look here' }]);
  player.play();
  clock.frames(40, 20);
  assert.equal(player.playing, false);
  assert.ok(Math.abs(view.now - 0.25) < 1e-9, `stopped at ${view.now} s`);
  assert.deepEqual(events.filter((e) => e.type === 'moment').map((e) => e.detail.caption), ['look here']);
  assert.ok(view.said.includes('look here'));
  player.play();
  clock.frames(11, 20);
  assert.ok(view.now > 0.25 + 0.1, 'the moment stops playing once');
});

test('Player refreshes numbers at most four times a wall second and charts at most twice while playing', () => {
  const { clock, view, player } = setup({ speed: 1, end: 100 });
  player.play();
  const before = view.refreshes;
  const chartsBefore = view.chartRefreshes;
  clock.frames(100, 10);  // one wall second
  const refreshes = view.refreshes - before;
  assert.ok(refreshes >= 3 && refreshes <= 5, `${refreshes} refreshes`);
  const charts = view.chartRefreshes - chartsBefore;
  assert.ok(charts >= 1 && charts <= 3, `${charts} chart refreshes`);
  assert.ok(view.draws >= 100, 'the picture is drawn every frame');
});

test('Player sends a state event only when the state changed, and finished once at the end', () => {
  const { clock, events, player, view } = setup({ speed: 10, end: 2 });
  player.play();
  clock.frames(200, 20);
  assert.equal(view.finished, true);
  assert.equal(player.playing, false);
  const states = events.filter((e) => e.type === 'state').map((e) => JSON.stringify(e.detail));
  assert.equal(new Set(states).size, states.length, 'no state event repeats the one before');
  assert.equal(events.filter((e) => e.type === 'finished').length, 1);
  player.step();
  assert.equal(events.filter((e) => e.type === 'finished').length, 1, 'finished is told once');
});

test('Player.step advances by its step and pauses; reset goes back to 0 and arms the moments again', async () => {
  const { view, player, events } = setup();
  player.setMoments([{ at_s: 0.05, caption: 'early' }]);
  player.play();
  await player.step();
  assert.equal(player.playing, false);
  assert.ok(Math.abs(view.now - STEP_S) < 1e-9);
  await player.reset();
  assert.equal(view.now, 0);
  assert.equal(view.restarts, 1);
  assert.equal(player.moments[0].shown, false);
  assert.equal(events.at(-1).detail.time, 0);
});

test('Player.seek goes to the time asked within the end and says so', async () => {
  const { view, player } = setup({ end: 10 });
  assert.equal(await player.seek(4.2), true);
  assert.ok(Math.abs(view.now - 4.2) < 1e-9);
  assert.ok(view.said.includes('jumped to 4.2 s'));
  await player.seek(99);
  assert.equal(view.now, 10);
});

test('Player.inject applies an action now (without its time), tells the host, and refuses one without "do"', async () => {
  const { view, player, events } = setup();
  const ok = await player.inject({ do: 'kill_server', server: 1, at_s: 3 });
  assert.deepEqual(ok, { ok: true });
  assert.deepEqual(view.applied, [{ do: 'kill_server', server: 1 }]);
  const bad = await player.inject({ server: 1 });
  assert.equal(bad.ok, false);
  assert.equal(bad.path, '$.do');
  assert.equal(view.applied.length, 1, 'a bad action never reaches the view');
  assert.deepEqual(events.filter((e) => e.type === 'action').map((e) => e.detail.ok), [true]);
});

test('Player clamps speed to between a hundredth and a hundred, and ignores a speed that is not a number', () => {
  const { player } = setup();
  player.speed = 1e6;
  assert.equal(player.speed, 100);
  player.speed = 0;
  assert.equal(player.speed, 0.01);
  player.speed = 'fast';
  assert.equal(player.speed, 0.01);
});

test('Player.play during a long jump plays once the jump is there, and not if paused meanwhile', async () => {
  for (const pauseToo of [false, true]) {
    const view = remoteView(10);
    const player = new Player(view, { clock: handClock() });
    const there = player.seek(4);
    assert.equal(player.jobs.running, true, 'the jump goes on until the view answers');
    player.play();
    assert.equal(player.playing, true, 'a Play pressed during the jump counts as playing');
    if (pauseToo) player.pause();
    await view.answerAll();
    assert.equal(await there, true);
    assert.equal(view.now, 4);
    assert.equal(player.playing, !pauseToo);
  }
});

/// countingView whose model runs elsewhere: every answer is a promise the test resolves by hand
/// (answerAll), and a jump stops early once its signal aborts.
function remoteView(end = 10) {
  const view = countingView(end);
  const applyNow = view.apply.bind(view);
  const queue = [];
  const later = (fn) => new Promise((ok) => queue.push(() => ok(fn())));
  Object.assign(view, {
    asked: [],
    advance(dt) { view.asked.push(dt); return later(() => { view.now = Math.min(view.end, view.now + dt); }); },
    restart() { return later(() => { view.now = 0; view.restarts += 1; }); },
    goTo(target, lookback, { signal }) {
      return later(() => {
        if (signal.aborted) { view.now = target / 2; return false; }
        view.now = target;
        return true;
      });
    },
    goToEnd() { return later(() => { view.now = view.end; return true; }); },
    apply(act) { return later(() => applyNow(act)); },
    async answerAll() {
      while (queue.length) { queue.shift()(); await new Promise((ok) => setImmediate(ok)); }
    },
  });
  return view;
}

test('Player with a view whose model runs elsewhere asks for one step at a time and stops exactly at a moment', async () => {
  const clock = handClock();
  const view = remoteView(10);
  const moments = [];
  const target = new EventTarget();
  target.addEventListener('stateless-lab:moment', (e) => moments.push(e.detail));
  const player = new Player(view, { clock, eventTarget: target, speed: 1 });
  player.setMoments([{ at_s: 0.3, caption: 'look' }]);
  player.play();
  clock.frames(5, 16);
  assert.equal(view.asked.length, 1, 'no second step before the first is answered');
  for (let i = 0; i < 100 && player.playing; ++i) {
    await view.answerAll();
    clock.frames(1, 16);
  }
  assert.equal(player.playing, false);
  assert.ok(Math.abs(view.now - 0.3) < 1e-9, `stopped at ${view.now}`);
  assert.deepEqual(moments.map((m) => m.caption), ['look']);
});

test('Player.seek on a view whose model runs elsewhere resolves true once there, false when Cancel stopped it, and draws where it stopped', async () => {
  const view = remoteView(10);
  const player = new Player(view, { clock: handClock() });
  const there = player.seek(6);
  await view.answerAll();
  assert.equal(await there, true);
  assert.equal(view.now, 6);
  const stopped = player.seek(8);
  player.jobs.cancel();
  const drawsBefore = view.draws;
  await view.answerAll();
  assert.equal(await stopped, false);
  assert.equal(view.now, 4, 'the model stopped where the cancel found it');
  await new Promise((ok) => setImmediate(ok));
  assert.ok(view.draws > drawsBefore, 'where it stopped is drawn');
});

test('Player.inject during a jump on a view whose model runs elsewhere applies once the jump has landed', async () => {
  const view = remoteView(10);
  const player = new Player(view, { clock: handClock() });
  const there = player.seek(5);
  const answer = player.inject({ do: 'kill_server', server: 0 });
  await view.answerAll();
  await there;
  await view.answerAll();
  assert.deepEqual(await answer, { ok: true });
  assert.deepEqual(view.applied, [{ do: 'kill_server', server: 0 }]);
  assert.equal(view.now, 5);
});

test('Player with a view whose model runs elsewhere sizes its steps by the work the model reports, not by how long its answers took to come', async () => {
  const played = async (workMs) => {
    const clock = handClock();
    const view = remoteView(1e6);
    const advance = view.advance;
    view.advance = (dt) => advance(dt).then(() => workMs);
    const player = new Player(view, { clock, speed: 1 });
    player.play();
    // Every answer comes 250 ms after its question, as on a machine busy with other work: a
    // frame asks, another comes while the step is out, then the answer.
    for (let i = 0; i < 30; ++i) {
      clock.frames(1, 16);
      clock.frames(1, 250);
      await view.answerAll();
    }
    player.pause();
    return view.asked.slice(-5);
  };
  const light = await played(2);
  for (const dt of light) assert.ok(dt >= 0.1, `a step of little work stays whole although its answer was slow: ${light}`);
  const heavy = await played(400);
  for (const dt of heavy) assert.ok(dt < 0.01, `a step that took 400 ms of work is cut down: ${heavy}`);
});
