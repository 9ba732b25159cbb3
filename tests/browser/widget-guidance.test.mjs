// <stateless-lab> guiding a learner: the timeline marks every scheduled action before it
// happens with a "jump to" for each, a guided moment pauses the run exactly there with its
// caption, and a lesson's experiment starts compact and opens its charts without losing its place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { watchErrors, waitReady, useSiteAndBrowser } from './widget-browser.mjs';
import { parseMoments } from '../../web/widget/url-state.mjs';
import { scheduleOf } from '../../web/widget/narration.mjs';

const env = useSiteAndBrowser();
const lab = (page) => page.locator('stateless-lab').first();

/// A scenario with a timeline, inline, so the test does not depend on a registered one's times.
const scenario = {
  seed: 3, duration_s: 40, traffic: { users: 200, rate_per_s: 100 },
  balancer: { policy: 'sticky_cookie' }, session: { mode: 'server_memory' },
  timeline: [{ at_s: 25, do: 'restart_server', server: 2 }, { at_s: 12.5, do: 'kill_server', server: 2 }, { at_s: 30, do: 'store_down' }],
};

test('scheduleOf lists a scenario\'s timeline in time order in the words of its fields', () => {
  assert.deepEqual(scheduleOf(scenario), [
    { at_s: 12.5, text: 'kill server 2' }, { at_s: 25, text: 'restart server 2' }, { at_s: 30, text: 'store down' }]);
  assert.deepEqual(scheduleOf({}), []);
  assert.deepEqual(scheduleOf({ timeline: [{ do: 'kill_server' }, null, { at_s: 1, do: 'set_rate', rate: 50 }] }),
                   [{ at_s: 1, text: 'set rate 50' }]);
});

test('parseMoments takes a JSON list of {at_s, caption} and names what is wrong otherwise', () => {
  assert.deepEqual(parseMoments('[{"at_s": 5, "caption": " b "}, {"at_s": 2, "caption": "a"}]').value,
                   [{ at_s: 2, caption: 'a' }, { at_s: 5, caption: 'b' }]);
  assert.deepEqual(parseMoments(null).value, []);
  assert.match(parseMoments('{').error, /not JSON/);
  assert.match(parseMoments('[{"at_s": -1, "caption": "x"}]').error, /^\[0\]\.at_s/);
  assert.match(parseMoments('[{"at_s": 1}]').error, /^\[0\]\.caption/);
  assert.match(parseMoments(JSON.stringify(Array.from({ length: 21 }, () => ({ at_s: 1, caption: 'x' })))).error, /at most 20/);
});

test('<stateless-lab> marks each scheduled action on the timeline before it happens, and "jump to" plays into it', async () => {
  const page = await env.browser.context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${env.site.url}embed.html?scenario=${encodeURIComponent(JSON.stringify(scenario))}`);
  await waitReady(page);
  const marks = await lab(page).evaluate((el) => [...el.shadowRoot.querySelectorAll('.marks button')].map((b) => b.textContent));
  assert.deepEqual(marks, ['12.5 s kill server 2', '25 s restart server 2', '30 s store down']);
  const ticks = await lab(page).evaluate((el) => {
    const track = el.shadowRoot.querySelector('.ticks').getBoundingClientRect();
    return [...el.shadowRoot.querySelectorAll('.tick')].map((t) => (t.getBoundingClientRect().left + 1 - track.left) / track.width);
  });
  assert.equal(ticks.length, 3);
  [12.5 / 40, 25 / 40, 30 / 40].forEach((want, i) => assert.ok(Math.abs(ticks[i] - want) < 0.02, `tick ${i} at ${ticks[i]} of the track, want ${want}`));
  const pastBefore = await lab(page).evaluate((el) => el.shadowRoot.querySelectorAll('.marks button.past').length);
  assert.equal(pastBefore, 0, 'nothing is past at 0 s');
  await lab(page).getByRole('button', { name: /kill server 2/ }).click();
  await page.waitForFunction(() => document.querySelector('stateless-lab').state.time >= 11);
  const start = await lab(page).evaluate((el) => ({ time: el.state.time, playing: el.playing }));
  assert.ok(start.playing, 'jump plays');
  assert.ok(start.time >= 11 && start.time < 12.5, `jump lands before the action (${start.time} s)`);
  await page.waitForFunction(() => document.querySelector('stateless-lab').state.time > 13, null, { timeout: 20000 });
  await lab(page).evaluate((el) => el.pause());
  const alive = await lab(page).evaluate((el) => el.shadowRoot.querySelector('.servers [data-server="2"]').dataset.alive);
  assert.equal(alive, '0', 'the scheduled kill happened while playing');
  const past = await lab(page).evaluate((el) => [...el.shadowRoot.querySelectorAll('.marks button')].map((b) => b.classList.contains('past')));
  assert.deepEqual(past, [true, false, false]);
  assert.deepEqual(errors, []);
  await page.close();
});

test('<stateless-lab> pauses at a guided moment exactly, shows its caption once, and re-arms it after a seek back', async () => {
  const page = await env.browser.context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${env.site.url}embed.html?scenario=sticky-crash&speed=4`);
  await waitReady(page);
  await lab(page).evaluate((el) => el.setAttribute('moments', JSON.stringify([{ at_s: 2.5, caption: 'Look at server 1 now' }])));
  await lab(page).evaluate((el) => el.play());
  await page.waitForFunction(() => !document.querySelector('stateless-lab').playing, null, { timeout: 20000 });
  const stop = await lab(page).evaluate((el) => ({ time: el.state.time, text: el.shadowRoot.querySelector('.moment').textContent,
                                                   hidden: el.shadowRoot.querySelector('.moment').hidden }));
  assert.equal(stop.time, 2.5);
  assert.equal(stop.text, 'Look at server 1 now');
  assert.equal(stop.hidden, false);
  // Playing on does not stop there again; seeking back before it arms it again.
  await lab(page).evaluate((el) => el.play());
  await page.waitForFunction(() => document.querySelector('stateless-lab').state.time > 3, null, { timeout: 20000 });
  assert.equal(await lab(page).evaluate((el) => el.shadowRoot.querySelector('.moment').hidden), true, 'the caption goes once playing resumes');
  await lab(page).evaluate((el) => { el.pause(); el.seek(1); el.play(); });
  await page.waitForFunction(() => !document.querySelector('stateless-lab').playing, null, { timeout: 20000 });
  assert.equal(await lab(page).evaluate((el) => el.state.time), 2.5);
  await lab(page).evaluate((el) => el.setAttribute('moments', 'not json'));
  const shown = await lab(page).evaluate((el) => el.errors.map((e) => e.what));
  assert.ok(shown.includes('attribute moments'), 'a bad moments attribute is reported visibly');
  assert.deepEqual(errors, []);
  await page.close();
});

test('<stateless-lab> with a stream scenario pauses at a guided moment exactly, shows its caption once, and re-arms it after a seek back', async () => {
  const page = await env.browser.context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${env.site.url}embed.html?scenario=stream-stateless-crash&speed=4`);
  await waitReady(page);
  await lab(page).evaluate((el) => {
    window.momentEvents = [];
    el.addEventListener('stateless-lab:moment', (e) => window.momentEvents.push(e.detail));
    el.setAttribute('moments', JSON.stringify([{ at_s: 2.5, caption: 'Look at worker 1 now' }]));
    el.play();
  });
  await page.waitForFunction(() => !document.querySelector('stateless-lab').playing, null, { timeout: 20000 });
  const stop = await lab(page).evaluate((el) => ({ time: el.state.time, kind: el.state.kind,
    text: el.shadowRoot.querySelector('.moment').textContent, hidden: el.shadowRoot.querySelector('.moment').hidden,
    events: window.momentEvents }));
  assert.equal(stop.kind, 'stream');
  assert.equal(stop.time, 2.5);
  assert.equal(stop.text, 'Look at worker 1 now');
  assert.equal(stop.hidden, false);
  assert.deepEqual(stop.events, [{ time: 2.5, caption: 'Look at worker 1 now' }]);
  await lab(page).evaluate((el) => el.play());
  await page.waitForFunction(() => document.querySelector('stateless-lab').state.time > 3, null, { timeout: 20000 });
  assert.equal(await lab(page).evaluate((el) => el.shadowRoot.querySelector('.moment').hidden), true, 'the caption goes once playing resumes');
  await lab(page).evaluate((el) => { el.pause(); el.seek(1); el.play(); });
  await page.waitForFunction(() => !document.querySelector('stateless-lab').playing, null, { timeout: 20000 });
  assert.equal(await lab(page).evaluate((el) => el.state.time), 2.5, 'seeking back armed the moment again');
  assert.deepEqual(errors, []);
  await page.close();
});

test('The Stateless Stream Processing lesson pauses its first experiment at the crash with the lesson\'s caption', async () => {
  const page = await env.browser.context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${env.site.url}lesson.html?lesson=stateless-stream-processing`);
  await waitReady(page);
  const el = lab(page);
  await el.evaluate((e) => e.seek(27));
  assert.equal(await el.evaluate((e) => e.state.time), 27);
  await el.evaluate((e) => { e.speed = 2; e.play(); });
  await page.waitForFunction(() => !document.querySelector('stateless-lab').playing, null, { timeout: 20000 });
  const stop = await el.evaluate((e) => ({ time: e.state.time, text: e.shadowRoot.querySelector('.moment').textContent,
    hidden: e.shadowRoot.querySelector('.moment').hidden }));
  assert.equal(stop.time, 27.7);
  assert.match(stop.text, /Worker 0 just crashed/);
  assert.equal(stop.hidden, false, 'the caption is shown');
  assert.deepEqual(errors, []);
  await page.close();
});

test('A lesson experiment starts compact and opens charts and every control without losing its place', async () => {
  const page = await env.browser.context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${env.site.url}lesson.html?lesson=sticky-sessions`);
  await waitReady(page);
  const el = lab(page);
  const compact = await el.evaluate((e) => ({ charts: !!e.shadowRoot.querySelector('.charts'), cluster: !!e.shadowRoot.querySelector('fieldset.cluster') }));
  assert.deepEqual(compact, { charts: false, cluster: false }, 'compact: no charts, no cluster panel');
  await el.evaluate((e) => { e.seek(7); e.inject({ do: 'kill_server', server: 0 }); });
  const more = page.locator('.experiment-more button').first();
  await more.click();
  assert.equal(await more.getAttribute('aria-pressed'), 'true');
  await page.waitForFunction(() => !!document.querySelector('stateless-lab').shadowRoot.querySelector('.charts'), null, { timeout: 20000 });
  await waitReady(page);
  const after = await el.evaluate((e) => ({ time: e.state.time, actions: e.state.actions.map((a) => a.do), cluster: !!e.shadowRoot.querySelector('fieldset.cluster') }));
  assert.equal(after.time, 7);
  assert.deepEqual(after.actions, ['kill_server']);
  assert.equal(after.cluster, true);
  assert.deepEqual(errors, []);
  await page.close();
});

for (const [model, link] of [['cluster', 'scenario=sticky-crash&t=20'],
  ['stream', 'scenario=lessons/stateless-stream-processing/scenarios/window-at-least-once.json&t=30']]) {
test(`<stateless-lab> chart legends of a ${model} show nothing off the chart and the value under the cursor on it`, async () => {
  const page = await env.browser.context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${env.site.url}embed.html?${link}`);
  await waitReady(page);
  const legendValues = () => lab(page).evaluate((el) => [...el.shadowRoot.querySelectorAll('.chart')][1]
    .querySelectorAll('.u-legend .u-series:not(:first-child) .u-value').values().map((v) => v.textContent).toArray());
  await page.waitForFunction(() => document.querySelector('stateless-lab').shadowRoot.querySelectorAll('.chart .u-over').length >= 2);
  const off = await legendValues();
  assert.ok(off.length > 0 && off.every((v) => v === ''), `off the chart: ${JSON.stringify(off)}`);
  const over = lab(page).locator('.chart').nth(1).locator('.u-over');
  const box = await over.boundingBox();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
  await page.waitForTimeout(200);
  const on = await legendValues();
  assert.ok(on.some((v) => /\d/.test(v)), `under the cursor: ${JSON.stringify(on)}`);
  assert.ok(on.every((v) => v !== '-'), 'never a placeholder dash');
  assert.deepEqual(errors, []);
  await page.close();
});
}

test('<stateless-lab>.runToEnd leaves a log that speaks of the end, not of the stretch played before', async () => {
  const page = await env.browser.context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${env.site.url}embed.html?scenario=sticky-crash&speed=4`);
  await waitReady(page);
  await lab(page).evaluate((el) => el.play());
  await page.waitForFunction(() => document.querySelector('stateless-lab').state.time > 3, null, { timeout: 20000 });
  const before = await lab(page).evaluate((el) => el.shadowRoot.querySelectorAll('.narration li').length);
  assert.ok(before > 0, 'playing wrote to the log');
  await lab(page).evaluate((el) => el.runToEnd());
  const items = await lab(page).evaluate((el) => [...el.shadowRoot.querySelectorAll('.narration li')].map((li) => li.textContent));
  assert.equal(items.length, 1, `one line after the run: ${JSON.stringify(items)}`);
  assert.match(items[0], /ran to the end \(60 s\)/);
  assert.deepEqual(errors, []);
  await page.close();
});
