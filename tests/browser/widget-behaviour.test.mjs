// <stateless-lab> behaviour in headless Chromium: actions change the numbers shown, the URL
// reproduces the view, bad input is reported visibly, the quiz API and cleanup work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { watchErrors, waitReady, statValue, useSiteAndBrowser } from './widget-browser.mjs';

const env = useSiteAndBrowser();

async function open(path, { ignore = [] } = {}) {
  const page = await env.browser.context.newPage();
  const errors = watchErrors(page, { ignore });
  await page.goto(env.site.url + path);
  await waitReady(page);
  return { page, errors };
}

const lab = (page) => page.locator('stateless-lab').first();

test('<stateless-lab> in sticky mode: killing a server raises session misses, and with a shared store there are none', async () => {
  const { page, errors } = await open('embed.html?scenario=sticky-crash&compare=shared_store&t=20');
  const before = { a: await statValue(page, 'misses', 'a'), b: await statValue(page, 'misses', 'b') };
  assert.equal(before.a, 0, 'no misses before any server died');
  await lab(page).getByRole('button', { name: /^Kill S2/ }).click();
  await page.evaluate(() => { document.querySelector('stateless-lab').speed = 20; });
  await lab(page).getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => document.querySelector('stateless-lab').state.time >= 26, null, { timeout: 15000 });
  await lab(page).getByRole('button', { name: 'Pause' }).click();
  const missesA = await statValue(page, 'misses', 'a');
  const missesB = await statValue(page, 'misses', 'b');
  assert.ok(missesA > before.a + 20, `sticky sessions: misses went from ${before.a} to ${missesA}`);
  assert.equal(missesB, 0, 'shared store: nobody is logged out');
  const state = await page.evaluate(() => document.querySelector('stateless-lab').state);
  assert.equal(state.actions.length, 1);
  assert.equal(state.actions[0].do, 'kill_server');
  assert.equal(state.actions[0].server, 2);
  // The difference table says the same in numbers.
  const diff = await page.evaluate(() => document.querySelector('stateless-lab').shadowRoot
    .querySelector('.summary tr[data-key="misses"] td:last-child').textContent);
  assert.match(diff, /^−\d/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('<stateless-lab> with sync-url: a copied address reproduces scenario, seed, time, actions and every number', async () => {
  const { page, errors } = await open('playground.html?scenario=sticky-crash&seed=11');
  await page.evaluate(() => document.querySelector('stateless-lab').seek(8));
  await lab(page).getByRole('button', { name: /^Kill S1/ }).click();
  await lab(page).getByLabel('Balancer', { exact: true }).selectOption('round_robin');
  for (let i = 0; i < 5; ++i) await lab(page).getByRole('button', { name: 'Step' }).click();
  await lab(page).getByRole('button', { name: /^Restart S1/ }).click();
  await lab(page).getByRole('button', { name: 'Step' }).click();
  // The simulation answers from its worker: the last step has landed once the state says 8.6 s.
  await page.waitForFunction(() => document.querySelector('stateless-lab').state.time === 8.6);
  const url = page.url();
  assert.match(url, /seed=11/);
  assert.match(url, /actions=8:kill_server:1,8:set_policy:round_robin,8\.5:restart_server:1/);
  const first = await page.evaluate(() => { const el = document.querySelector('stateless-lab'); return { state: el.state, results: el.results() }; });
  const statsFirst = await page.evaluate(() => document.querySelector('stateless-lab').shadowRoot.querySelector('.stats').textContent);
  // The playground's embed snippets carry the same view.
  await page.waitForFunction(() => /8\.5:restart_server:1/.test(document.getElementById('snippet-iframe').textContent));
  const snippet = await page.evaluate(() => document.getElementById('snippet-element').textContent);
  assert.match(snippet, /<stateless-lab scenario="sticky-crash" seed="11" time="[\d.]+" actions="8:kill_server:1,8:set_policy:round_robin,8\.5:restart_server:1">/);

  const again = await open(url.replace(env.site.url, ''));
  const second = await again.page.evaluate(() => { const el = document.querySelector('stateless-lab'); return { state: el.state, results: el.results() }; });
  const statsSecond = await again.page.evaluate(() => document.querySelector('stateless-lab').shadowRoot.querySelector('.stats').textContent);
  assert.equal(second.state.time, first.state.time);
  assert.equal(second.state.seed, 11);
  assert.equal(second.state.policy, 'round_robin');
  assert.deepEqual(second.state.actions, first.state.actions);
  assert.deepEqual(second.results, first.results);
  assert.equal(statsSecond, statsFirst);
  assert.ok(first.results.sessions.misses > 0, 'the view being linked has consequences to reproduce');
  assert.deepEqual(errors, []);
  assert.deepEqual(again.errors, []);
  await page.close();
  await again.page.close();
});

test('<stateless-lab> shows bad URL state as visible errors naming the parameter and the page, and still runs', async () => {
  const { page, errors } = await open('playground.html?scenario=sticky-crash&speed=fast&seed=x1&actions=3:explode&t=-5');
  const text = await page.evaluate(() => document.querySelector('stateless-lab').shadowRoot.querySelector('.errors').textContent);
  for (const p of ['speed', 'seed', 'actions', 't']) assert.match(text, new RegExp(`URL parameter ${p} \\(this page's address, /playground.html\\)`));
  assert.match(text, /unknown action "explode"/);
  assert.ok(await page.locator('stateless-lab').evaluate((el) => el.shadowRoot.querySelector('.errors').checkVisibility()));
  await lab(page).getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => document.querySelector('stateless-lab').state.time > 0.3);
  assert.deepEqual(errors, []);
  await page.close();
});

test('<stateless-lab> reports bad attributes on the element itself and leaves the rest of the page working', async () => {
  const { page, errors } = await open('playground.html?scenario=sticky-crash', { ignore: [/nope\.json/, /404/] });
  const results = await page.evaluate(async () => {
    const make = (attrs) => {
      const el = document.createElement('stateless-lab');
      for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
      el.innerHTML = '<p class="fallback">fallback text</p>';
      document.body.append(el);
      return el;
    };
    const els = [
      make({ id: 'unknown', scenario: 'no-such-scenario' }),
      make({ id: 'badattrs', scenario: 'sticky-crash', speed: 'fast', controls: 'knobs', seed: '-3' }),
      make({ id: 'missing', scenario: '/nope.json' }),
      make({ id: 'invalid', scenario: '{"servers": {"count": 0}}' }),
      make({ id: 'none' }),
    ];
    await Promise.all(els.map((e) => e.ready));
    return els.map((e) => ({ id: e.id, errors: e.errors, text: e.shadowRoot.querySelector('.errors').textContent, slot: !!e.shadowRoot.querySelector('slot'), ready: e.firstFrameAt !== null }));
  });
  const by = Object.fromEntries(results.map((r) => [r.id, r]));
  assert.match(by.unknown.text, /attribute scenario \(<stateless-lab id="unknown" scenario="no-such-scenario">\)/);
  assert.match(by.unknown.text, /sticky-crash/, 'lists the registered scenarios');
  assert.ok(by.unknown.slot, 'shows the author\'s fallback content');
  assert.ok(by.badattrs.ready, 'bad optional attributes fall back to defaults');
  for (const a of ['speed', 'controls', 'seed']) assert.match(by.badattrs.text, new RegExp(`attribute ${a} \\(<stateless-lab id="badattrs"`));
  assert.match(by.missing.text, /HTTP 404/);
  assert.match(by.invalid.text, /\$\.servers\.count: must be at least 1 \(got 0\)/);
  assert.match(by.none.text, /attribute scenario .*is missing/);
  // The page's own widget still runs.
  await page.evaluate(() => document.querySelector('#lab').play());
  await page.waitForFunction(() => document.querySelector('#lab').state.time > 0.2);
  assert.deepEqual(errors, []);
  await page.close();
});

test('<stateless-lab>.runToEnd resolves to the headless results of the same scenario and fires finished', async () => {
  const { page, errors } = await open('embed.html?scenario=sticky-crash');
  const out = await page.evaluate(async () => {
    const el = document.querySelector('stateless-lab');
    const finished = new Promise((ok) => el.addEventListener('stateless-lab:finished', (e) => ok(e.detail), { once: true }));
    const results = await el.runToEnd();
    const detail = await finished;
    const endState = el.state;
    const { loadLab } = await import(new URL('stateless-lab.js', document.baseURI).href);
    const lab = await loadLab();
    const sim = lab.create(lab.scenarioText('sticky-crash'));
    sim.run();
    const headless = sim.results();
    sim.delete();
    // A new scenario attribute: ready and runToEnd wait for the new view.
    el.setAttribute('scenario', 'shared-store');
    const other = await el.runToEnd();
    return { results, detail, headless, state: endState, otherName: other.name };
  });
  assert.equal(out.otherName, 'shared-store');
  assert.equal(out.state.time, out.headless.duration_s);
  assert.deepEqual(out.results, out.headless);
  const { series, ...summary } = out.headless;
  assert.ok(series.t_s.length > 0);
  assert.deepEqual(out.detail.results, summary, 'the finished event carries the results without the series');
  assert.ok(out.results.sessions.misses > 0, 'the scenario\'s own crash logs users out');
  assert.deepEqual(errors, []);
  await page.close();
});

test('<stateless-lab> switches session mode and balancer live, and compares a named scenario with the same seed', async () => {
  const { page, errors } = await open('embed.html?scenario=sticky-crash&compare=round-robin-memory');
  const seeds = await page.evaluate(() => { const el = document.querySelector('stateless-lab'); return [el.results().seed, el.compareResults.seed]; });
  assert.equal(seeds[0], seeds[1]);
  await lab(page).getByLabel('Sessions (A)', { exact: true }).selectOption('shared_store');
  await page.evaluate(() => document.querySelector('stateless-lab').step(2));
  const r = await page.evaluate(() => { const el = document.querySelector('stateless-lab'); return { a: el.results(), b: el.compareResults, mode: el.state.mode }; });
  assert.equal(r.mode, 'shared_store');
  assert.ok(r.a.store.lookups > 0, 'requests now read the shared store');
  assert.equal(r.b.store.lookups, 0, 'the selector changes only A');
  assert.deepEqual(errors, []);
  await page.close();
});

test('<stateless-lab> deletes its simulations when removed and rebuilds where it was when added back', async () => {
  const { page, errors } = await open('embed.html?scenario=sticky-crash&compare=token');
  const counts = await page.evaluate(async () => {
    const el = document.querySelector('stateless-lab');
    await el.ready;
    await el.seek(5);
    el.play();
    // The clusters run in the page's simulation worker: its core counts them.
    const live = async () => (await el.liveObjects()).simulations;
    const withTwo = await live();
    const parent = el.parentNode;
    el.remove();
    const removed = await live();
    const frames = el.renderStats.draws;
    await new Promise((ok) => setTimeout(ok, 300));
    const framesLater = el.renderStats.draws;
    parent.append(el);
    await new Promise((ok) => el.addEventListener('stateless-lab:ready', ok, { once: true }));
    return { withTwo, removed, frames, framesLater, back: await live(), time: el.state.time };
  });
  assert.ok(counts.time >= 5, 'moved, it carries on from where it was');
  assert.equal(counts.withTwo, 2);
  assert.equal(counts.removed, 0);
  assert.equal(counts.back, 2);
  assert.equal(counts.framesLater, counts.frames, 'no drawing after removal');
  assert.deepEqual(errors, []);
  await page.close();
});

test('<stateless-lab> fires state events at most four times per second while playing, on a fake clock', async () => {
  // A context of its own: the fake clock belongs to the context, and a failure here must not
  // leave it paused under the tests that follow.
  const context = await env.browser.browser.newContext();
  try {
    const page = await context.newPage();
    const errors = watchErrors(page);
    // The page's timers, frames and performance.now() follow this clock only.
    await page.clock.install();
    await page.goto(`${env.site.url}embed.html?scenario=sticky-crash`);
    await waitReady(page);
    await page.clock.pauseAt(await page.evaluate(() => Date.now() + 1000));
    await page.evaluate(() => {
      const el = document.querySelector('stateless-lab');
      window.stateEvents = 0;
      el.addEventListener('stateless-lab:state', () => window.stateEvents++);
      el.play();
    });
    // Steps are answered by the widget's worker, in real time. Advancing the fake clock in
    // slices and waiting for the worker between them makes the count independent of how busy
    // the machine is: the worker answers in order, so once a later request is answered the
    // step sent in the slice has landed.
    for (let ms = 0; ms < 2000; ms += 50) {
      await page.clock.runFor(50);
      await page.evaluate(() => document.querySelector('stateless-lab').liveObjects());
    }
    const n = await page.evaluate(() => { document.querySelector('stateless-lab').pause(); return window.stateEvents; });
    // UI_MS is 250 ms: 2 s of play gives 8, plus the one fired on play.
    assert.ok(n >= 7 && n <= 9, `${n} state events in 2 s of fake time`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('<stateless-lab> tells which server add_server started: a killed server\'s slot comes back under its own id', async () => {
  const { page, errors } = await open('embed.html?scenario=sticky-crash&t=5');
  await lab(page).getByRole('button', { name: /^Kill S1/ }).click();
  await lab(page).getByRole('button', { name: 'Add server' }).click();
  // The answer comes from the widget's worker: wait for the line it brings.
  await lab(page).locator('.narration li', { hasText: /added/ }).first().waitFor();
  const log = await lab(page).evaluate((el) => [...el.shadowRoot.querySelectorAll('.narration li')].map((li) => li.textContent));
  assert.match(log[0], /server 1 added/, `the newest line names the revived server: ${JSON.stringify(log)}`);
  const actions = await lab(page).evaluate((el) => el.state.actions.map((a) => a.do));
  assert.deepEqual(actions, ['kill_server', 'add_server']);
  assert.deepEqual(errors, []);
  await page.close();
});

test('<stateless-lab> runs rolling_restart from its button, links it, and a link with a gap replays it', async () => {
  const { page, errors } = await open('playground.html?scenario=sticky-crash&seed=11');
  await page.evaluate(() => document.querySelector('stateless-lab').seek(8));
  await lab(page).getByRole('button', { name: 'Rolling restart' }).click();
  for (let i = 0; i < 3; ++i) await lab(page).getByRole('button', { name: 'Step' }).click();
  assert.match(page.url(), /actions=8:rolling_restart(&|$)/);
  const first = await page.evaluate(() => { const el = document.querySelector('stateless-lab'); return { state: el.state, results: el.results() }; });
  assert.deepEqual(first.state.actions.map((a) => a.do), ['rolling_restart']);
  const again = await open(page.url().replace(env.site.url, ''));
  const second = await again.page.evaluate(() => { const el = document.querySelector('stateless-lab'); return { state: el.state, results: el.results() }; });
  assert.deepEqual(second.results, first.results);
  const gap = await open('playground.html?scenario=sticky-crash&seed=11&t=9&actions=8:rolling_restart:0.5');
  const withGap = await gap.page.evaluate(() => document.querySelector('stateless-lab').state.actions);
  assert.deepEqual(withGap, [{ at_s: 8, do: 'rolling_restart', gap_s: 0.5 }]);
  for (const p of [page, again.page, gap.page]) await p.close();
  assert.deepEqual([...errors, ...again.errors, ...gap.errors], []);
});

test('<stateless-lab> while playing shows numbers of the very time it reports: each state event equals a headless run to that time', async () => {
  const { page, errors } = await open('embed.html?scenario=sticky-crash&compare=shared_store&speed=4');
  const seen = await page.evaluate(async () => {
    const el = document.querySelector('stateless-lab');
    await el.ready;
    const events = [];
    el.addEventListener('stateless-lab:state', (e) => {
      const d = e.detail;
      if (d.playing) events.push({ time: d.time, a: d.summary, b: d.compareSummary, shown: el.shadowRoot.querySelector('.stats [data-key="completed"]').dataset.value });
    });
    el.play();
    await new Promise((ok) => setTimeout(ok, 1500));
    el.pause();
    // The same scenarios run headless in the page's own lab, each stopped at an event's time.
    const { loadLab } = await import(new URL('stateless-lab.js', location.href).href);
    const lab = await loadLab();
    const scenario = JSON.parse(lab.scenarioText('sticky-crash'));
    const variant = { ...scenario, session: { ...scenario.session, mode: 'shared_store' } };
    const at = (s, t) => { const sim = lab.create(s); sim.runUntil(t); const r = sim.results(); sim.delete(); return r; };
    return events.map((e) => {
      const ra = at(scenario, e.time);
      const rb = at(variant, e.time);
      return { time: e.time, shown: Number(e.shown), completed: e.a.completed, p99: e.a.p99_ms, misses: e.a.misses, bCompleted: e.b.completed,
               want: { completed: ra.requests.completed, p99: ra.latency_ms.p99, misses: ra.sessions.misses, bCompleted: rb.requests.completed } };
    });
  });
  assert.ok(seen.length >= 3, `${seen.length} state events while playing`);
  for (const s of seen) {
    assert.equal(s.completed, s.want.completed, `completed at ${s.time} s`);
    assert.equal(s.shown, s.want.completed, `completed shown at ${s.time} s`);
    assert.equal(s.p99, s.want.p99, `p99 at ${s.time} s`);
    assert.equal(s.misses, s.want.misses, `misses at ${s.time} s`);
    assert.equal(s.bCompleted, s.want.bCompleted, `the compared run's completed at ${s.time} s`);
  }
  assert.deepEqual(errors, []);
  await page.close();
});
