// Lesson pacing in a real browser: every lesson reaches its first experiment early, an
// experiment marks its scenario's scheduled actions on the timeline, and a lesson's guided
// moment pauses the run just after the event it talks about.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { marked } from 'marked';
import { watchErrors, useLessonSite } from './lesson-browser.mjs';
import { index, readText, readJson } from '../lessons/lesson-files.mjs';
import { findLabBlocks } from '../../web/lesson/lab-block.mjs';
import { scheduleOf } from '../../web/widget/narration.mjs';

/// At 1280×800 a lesson's first experiment starts within this many pixels of the top.
const FIRST_EXPERIMENT_MAX_PX = 1200;

const env = useLessonSite();

/// The first lab block of a lesson whose scenario has a timeline: {config, scenario, slot},
/// slot being the block's place among the lesson's lab blocks (its `data-lab-slot`).
function firstTimedBlock(slug) {
  const blocks = findLabBlocks(readText(`lessons/${slug}/lesson.md`), (md) => marked.lexer(md));
  for (const [slot, b] of blocks.entries()) {
    if (!b.config || b.config.sweep) continue;
    const scenario = readJson(`lessons/${slug}/${b.config.scenario}`);
    if (scenario.timeline?.length) return { config: b.config, scenario, slot };
  }
  return null;
}

/// The widget of a lab slot. Experiments mount as their scenarios arrive, in any order, so
/// "the first widget on the page" may belong to a later slot.
const slotWidget = (page, slot) => page.locator(`[data-lab-slot="${slot}"] stateless-lab`);

/// Lessons another change is restructuring: their test is reported, but as a to-do.

for (const { slug } of index().lessons) {
  test(`Lesson ${slug} at 1280×800 starts its first experiment within 1,200 px of the top`, async () => {
    const page = await env.browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    const errors = watchErrors(page);
    await page.goto(`${env.server.url}lesson.html?lesson=${slug}`);
    const first = page.locator('.experiment').first();
    await first.waitFor({ timeout: 30000 });
    // Everything above the experiment is text and static figures: wait for those figures
    // (figures further down may load lazily, so they are not waited for).
    await first.evaluate((e) => Promise.all([...document.images]
      .filter((i) => i.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING)
      .map((i) => (i.complete ? null : new Promise((ok) => { i.onload = ok; i.onerror = ok; })))));
    const top = await first.evaluate((e) => e.getBoundingClientRect().top + window.scrollY);
    assert.ok(top <= FIRST_EXPERIMENT_MAX_PX, `first experiment at ${Math.round(top)} px`);
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('Lesson experiments mark their scenario\'s scheduled actions on the timeline, with a "jump to" button each', async () => {
  const slug = 'stateless-vs-stateful';
  const { scenario, slot } = firstTimedBlock(slug);
  const page = await env.browser.context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${env.server.url}lesson.html?lesson=${slug}`);
  const lab = slotWidget(page, slot);
  await lab.waitFor();
  await lab.evaluate((el) => el.ready);
  const marks = await lab.evaluate((el) => [...el.shadowRoot.querySelectorAll('.marks button')].map((b) => b.textContent));
  const schedule = scheduleOf(scenario);
  assert.equal(marks.length, schedule.length, `one button per action: ${marks.join(' | ')}`);
  schedule.forEach((s, i) => assert.ok(marks[i].includes(s.text), `mark ${i} "${marks[i]}" names "${s.text}"`));
  assert.deepEqual(errors, []);
  await page.close();
});

test('Lesson experiments pause at their guided moment, just after the scheduled event, with its caption', async () => {
  const slug = 'stateless-vs-stateful';
  const { config, scenario, slot } = firstTimedBlock(slug);
  const moment = config.moments?.[0];
  assert.ok(moment, `${config.scenario} declares a moment`);
  const event = Math.min(...scenario.timeline.map((a) => a.at_s));
  assert.ok(moment.at_s > event && moment.at_s - event <= 1, `the moment (${moment.at_s} s) comes just after the event (${event} s)`);
  const page = await env.browser.context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${env.server.url}lesson.html?lesson=${slug}`);
  const lab = slotWidget(page, slot);
  await lab.waitFor();
  const paused = await lab.evaluate(async (el) => {
    await el.ready;
    const at = new Promise((resolve) => el.addEventListener('stateless-lab:moment', (e) => resolve(e.detail), { once: true }));
    el.speed = 20;
    el.play();
    const detail = await at;
    return { ...detail, playing: el.playing, shown: el.shadowRoot.querySelector('.moment').textContent };
  });
  assert.ok(Math.abs(paused.time - moment.at_s) < 1e-6, `paused at ${paused.time} s`);
  assert.equal(paused.playing, false);
  assert.equal(paused.shown, moment.caption);
  assert.deepEqual(errors, []);
  await page.close();
});
