// A predict question in a real browser: after the learner commits, the simulator plays the
// scenario in place, fast, then the verdict appears beside the button, takes focus and is in
// view without scrolling, on a desktop and on phone-sized screens, with reduced motion and by keyboard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { watchErrors, useLessonSite } from './lesson-browser.mjs';
import { readJson } from '../lessons/lesson-files.mjs';
import { PLAY_WALL_S } from '../../web/lesson/quiz-view.mjs';

const SLUG = 'stateless';
const question = readJson(`lessons/${SLUG}/quiz.json`).questions.find((q) => q.kind === 'predict');
const scenario = readJson(`lessons/${SLUG}/${question.scenario}`);
/// A predict question's run plays in at most about 3 s of wall time.
const MAX_PLAY_S = 3.5;

const env = useLessonSite();

for (const [width, height] of [[1280, 800], [390, 844]]) {
  test(`Lesson predict question at ${width}×${height} plays its run in place, then focuses a verdict that is in view`, async () => {
    const page = await env.browser.context.newPage();
    await page.setViewportSize({ width, height });
    const errors = watchErrors(page);
    await page.goto(`${env.server.url}lesson.html?lesson=${SLUG}`);
    const item = page.locator(`#quiz-${question.id}`);
    await item.waitFor();
    const submit = item.locator('button[type="submit"]');
    // The hardest place for the verdict: the button on the last line of the screen.
    await submit.evaluate((b) => b.scrollIntoView({ block: 'end' }));
    await item.locator('input[type="radio"]').first().check();
    await page.evaluate(() => {
      window.__states = [];
      document.addEventListener('stateless-lab:state', (e) => {
        if (e.target.closest('.quiz-question')) window.__states.push({ at: performance.now(), time: e.detail.time, playing: e.detail.playing });
      });
    });
    await submit.click();
    const verdict = item.locator('.quiz-verdict');
    await verdict.waitFor({ timeout: 60000 });

    const seen = await page.evaluate(() => window.__states);
    const moving = seen.filter((s) => s.playing);
    const times = new Set(moving.map((s) => s.time).filter((t) => t > 0 && t < scenario.duration_s));
    assert.ok(times.size >= 5, `the run was played, not jumped to its end (${times.size} times seen while playing)`);
    const wall = (moving.at(-1).at - moving[0].at) / 1000;
    assert.ok(wall <= MAX_PLAY_S, `played in ${wall.toFixed(2)} s of wall time (aimed at ${PLAY_WALL_S} s)`);

    const where = await verdict.evaluate((v) => {
      const r = v.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, w: innerWidth, h: innerHeight, focused: document.activeElement === v };
    });
    assert.ok(where.focused, 'the verdict has focus');
    assert.ok(where.top >= 0 && where.bottom <= where.h && where.left >= 0 && where.right <= where.w,
      `the verdict (${JSON.stringify(where)}) is inside the ${width}×${height} viewport`);
    const box = await item.locator('.quiz-actions').boundingBox();
    const mine = await verdict.boundingBox();
    assert.ok(mine.y >= box.y && mine.y + mine.height <= box.y + box.height + 1, 'the verdict sits in the button\'s row');
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('Lesson predict question with reduced motion still plays its run, then focuses a verdict that is in view', async () => {
  const page = await env.browser.context.newPage();
  await page.setViewportSize({ width: 360, height: 740 });
  await page.emulateMedia({ reducedMotion: 'reduce' });
  const errors = watchErrors(page);
  await page.goto(`${env.server.url}lesson.html?lesson=${SLUG}`);
  const item = page.locator(`#quiz-${question.id}`);
  await item.waitFor();
  const submit = item.locator('button[type="submit"]');
  await submit.evaluate((b) => b.scrollIntoView({ block: 'end' }));
  await item.locator('input[type="radio"]').last().check();
  // Keyboard only: Enter on the focused button submits the form.
  await submit.focus();
  await page.keyboard.press('Enter');
  const verdict = item.locator('.quiz-verdict');
  await verdict.waitFor({ timeout: 60000 });
  const where = await verdict.evaluate((v) => {
    const r = v.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, h: innerHeight, focused: document.activeElement === v, outline: getComputedStyle(v).outlineStyle };
  });
  assert.ok(where.focused, 'the verdict has focus');
  assert.notEqual(where.outline, 'none', 'the focus is visible');
  assert.ok(where.top >= 0 && where.bottom <= where.h, `the verdict (${where.top}–${where.bottom}) is inside the 360×740 viewport`);
  assert.equal(await item.locator('stateless-lab').evaluate((el) => el.state.time), scenario.duration_s, 'the run reached its end');
  assert.deepEqual(errors, []);
  await page.close();
});
