// The lesson page's quiz in a real browser: taken end to end (predict questions graded against
// the simulation the page runs, which must equal the native core's), progress kept across a
// reload and shown on the index, corrupt or blocked storage recovered from, answers reported
// to a framing page in embed mode, and no console errors on the way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, launch, watchErrors, answer, storedProgress, useLessonSite } from './lesson-browser.mjs';
import { runScenario } from '../lessons/lesson-files.mjs';
import { matchingOption, predictValue, correctChoice } from '../../web/lesson/quiz-model.mjs';

const SLUG = 'stateless';
const quiz = JSON.parse(readFileSync(join(root, 'lessons', SLUG, 'quiz.json'), 'utf8'));

const env = useLessonSite();

/// The option a predict question's simulation makes right, computed with the native core.
function nativeAnswer(q) {
  const run = runScenario(`lessons/${SLUG}/${q.scenario}`);
  const { value } = predictValue(q, run);
  return { value, index: matchingOption(q, value) };
}

/// A deliberate mix of right and wrong answers: wrong for every third question.
function planFor(q, i) {
  const right = q.kind === 'choice' ? correctChoice(q) : nativeAnswer(q).index;
  const choice = i % 3 === 2 ? (right + 1) % q.options.length : right;
  return { choice, correct: choice === right };
}

test('Lesson page quiz can be taken end to end, with predict questions graded by the simulation', async () => {
  const page = await env.browser.context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${env.server.url}lesson.html?lesson=${SLUG}`);
  await page.locator('#quiz .quiz-question').first().waitFor();
  await page.evaluate(() => {
    window.__answers = [];
    document.addEventListener('stateless-lab:quiz-answer', (e) => window.__answers.push(e.detail));
  });
  assert.equal(await page.locator('#quiz .quiz-question').count(), quiz.questions.length);
  let expectedCorrect = 0;
  for (const [i, q] of quiz.questions.entries()) {
    const plan = planFor(q, i);
    await answer(page, q.id, plan.choice);
    const verdict = await page.locator(`#quiz-${q.id} .quiz-verdict`).textContent();
    assert.equal(verdict, plan.correct ? 'Correct.' : 'Not quite.', `${q.id}`);
    if (plan.correct) expectedCorrect += 1;
  }
  const score = await page.locator('.quiz-score').textContent();
  assert.equal(score, `Score: ${expectedCorrect} of ${quiz.questions.length} correct (${quiz.questions.length} answered).`);

  const stored = await storedProgress(page, SLUG);
  for (const q of quiz.questions.filter((x) => x.kind === 'predict')) {
    assert.equal(stored.answers[q.id].value, nativeAnswer(q).value, `${q.id}: the browser's simulation equals the native core's`);
    assert.ok(await page.locator(`#quiz-${q.id} stateless-lab`).count() === 1, `${q.id}: ran in an embedded simulator`);
  }
  const events = await page.evaluate(() => window.__answers);
  assert.equal(events.length, quiz.questions.length);
  const first = quiz.questions[0];
  const shown = await page.locator(`#quiz-${first.id} .quiz-option input`).evaluateAll((inputs, c) => inputs.findIndex((i) => Number(i.value) === c) + 1, planFor(first, 0).choice);
  assert.ok(shown >= 1, 'the answer names the place the learner saw the option in');
  assert.deepEqual(events[0], { quiz: SLUG, question: first.id, answer: 'abcdefghij'[planFor(first, 0).choice], shown, correct: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test('Lesson page quiz progress survives a reload and shows on the index page', async () => {
  const slug = 'token-based-authentication';
  const qs = JSON.parse(readFileSync(join(root, 'lessons', slug, 'quiz.json'), 'utf8')).questions;
  const page = await env.browser.context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${env.server.url}lesson.html?lesson=${slug}`);
  await page.locator('.quiz-score').waitFor();
  const wrong = (correctChoice(qs[1]) + 1) % qs[1].options.length;
  await answer(page, qs[0].id, correctChoice(qs[0]));
  await answer(page, qs[1].id, wrong);
  const expected = `Score: 1 of ${qs.length} correct (2 answered).`;
  assert.equal(await page.locator('.quiz-score').textContent(), expected);

  await page.reload();
  await page.locator('.quiz-score').waitFor();
  assert.equal(await page.locator('.quiz-score').textContent(), expected);
  assert.equal(await page.locator(`#quiz-${qs[0].id}-${correctChoice(qs[0])}`).isChecked(), true);
  assert.equal(await page.locator(`#quiz-${qs[1].id}-${wrong}`).isChecked(), true);
  assert.equal(await page.locator(`#quiz-${qs[0].id} .quiz-verdict`).textContent(), 'Correct.');
  assert.equal(await page.locator(`#quiz-${qs[1].id} .quiz-verdict`).textContent(), 'Not quite.');
  assert.equal(await page.locator(`#quiz-${qs[2].id} .quiz-verdict`).count(), 0, 'unanswered questions stay open');

  await page.goto(env.server.url);
  const summary = page.locator(`.lesson-score[data-lesson="${slug}"]`);
  await summary.waitFor();
  assert.equal(await summary.textContent(), `Quiz: 1 of ${qs.length} correct, 2 answered`);
  assert.match(await page.locator('.lesson-score[data-lesson="horizontal-scaling"]').textContent(), /not started/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('Lesson page quiz recovers from a corrupt localStorage entry', async () => {
  const page = await env.browser.context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${env.server.url}lesson.html?lesson=sticky-sessions`);
  await page.locator('.quiz-score').waitFor();  // the first load has read (empty) storage: no race with the write below
  await page.evaluate(() => localStorage.setItem('stateless-lab:quiz:sticky-sessions', '{"version": 1, "answers": [oops'));
  await page.reload();
  await page.locator('.quiz-score').waitFor();
  assert.match(await page.locator('#quiz').textContent(), /could not be read and were cleared/);
  assert.match(await page.locator('.quiz-score').textContent(), /Nothing answered yet/);
  const q = JSON.parse(readFileSync(join(root, 'lessons/sticky-sessions/quiz.json'), 'utf8')).questions[0];
  await answer(page, q.id, correctChoice(q));
  const stored = await storedProgress(page, 'sticky-sessions');
  assert.deepEqual(Object.keys(stored.answers), [q.id], 'storage holds valid progress again');

  await page.evaluate(() => localStorage.setItem('stateless-lab:quiz:stateless', 'not json at all'));
  await page.goto(env.server.url);
  await page.locator('.lesson-score[data-lesson="stateless"]').waitFor();
  assert.match(await page.locator('.lesson-score[data-lesson="stateless"]').textContent(), /not started/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('Lesson page quiz works when localStorage is blocked', async () => {
  const page = await env.browser.context.newPage();
  const errors = watchErrors(page);
  await page.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('blocked', 'SecurityError'); } });
  });
  await page.goto(`${env.server.url}lesson.html?lesson=session-management`);
  await page.locator('.quiz-score').waitFor();
  assert.match(await page.locator('#quiz').textContent(), /not letting this page store anything/);
  const q = JSON.parse(readFileSync(join(root, 'lessons/session-management/quiz.json'), 'utf8')).questions[1];
  await answer(page, q.id, correctChoice(q));
  assert.match(await page.locator('.quiz-score').textContent(), /^Score: 1 of \d+ correct \(1 answered\)\.$/);
  await page.goto(env.server.url);
  await page.locator('.lesson-score').first().waitFor();
  assert.match(await page.locator('#progress-note').textContent(), /not letting the site store anything/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('Lesson page in embed mode reports quiz answers to the framing page', async () => {
  const page = await env.browser.context.newPage();
  const errors = watchErrors(page);
  const host = `${env.server.url}__embed-host.html`;
  await page.route(host, (route) => route.fulfill({
    contentType: 'text/html',
    body: `<!doctype html><title>host</title><script>window.msgs = [];
      addEventListener('message', (e) => { if (e.data && e.data.source === 'stateless-lab') msgs.push(e.data); });</script>
      <iframe id="f" title="lesson" style="width: 1000px; height: 800px"
        src="lesson.html?lesson=horizontal-scaling&embed=1&origin=${encodeURIComponent(new URL(env.server.url).origin)}"></iframe>`,
  }));
  await page.goto(host);
  const frame = page.frameLocator('#f');
  await frame.locator('.quiz-question').first().waitFor();
  assert.equal(await frame.locator('.site-header').isVisible(), false, 'no site chrome inside the frame');
  const q = JSON.parse(readFileSync(join(root, 'lessons/horizontal-scaling/quiz.json'), 'utf8')).questions[0];
  await frame.locator(`#quiz-${q.id}-${correctChoice(q)}`).check();
  await frame.locator(`#quiz-${q.id} button[type="submit"]`).click();
  await page.waitForFunction(() => window.msgs.some((m) => m.type === 'quiz-answer'));
  const msgs = await page.evaluate(() => window.msgs);
  const ans = msgs.find((m) => m.type === 'quiz-answer');
  const shown = await frame.locator(`#quiz-${q.id} .quiz-option input`).evaluateAll((inputs, c) => inputs.findIndex((i) => Number(i.value) === c) + 1, correctChoice(q));
  assert.deepEqual(ans, { source: 'stateless-lab', type: 'quiz-answer', quiz: 'horizontal-scaling', question: q.id, answer: 'abcdefghij'[correctChoice(q)], shown, correct: true });
  assert.ok(msgs.some((m) => m.type === 'resize' && m.height > 100), 'the frame reports its height');
  const href = await frame.locator('#pager a[rel="next"]').getAttribute('href');
  assert.match(href, /embed=1/, 'links inside the frame stay in embed mode');
  assert.deepEqual(errors, []);
  await page.close();
});

/// The lessons of the index, with their quizzes.
const lessons = JSON.parse(readFileSync(join(root, 'lessons/index.json'), 'utf8')).lessons
  .map((l) => ({ slug: l.slug, quiz: JSON.parse(readFileSync(join(root, 'lessons', l.slug, 'quiz.json'), 'utf8')) }));

/// The option order a lesson page shows: {questionId: [option index in quiz.json, ...]}.
async function shownOrders(page, slug) {
  await page.goto(`${env.server.url}lesson.html?lesson=${slug}`);
  await page.locator('#quiz .quiz-question').first().waitFor();
  return page.locator('#quiz .quiz-question').evaluateAll((items) => Object.fromEntries(items.map((li) => [
    li.dataset.question, [...li.querySelectorAll('.quiz-option input')].map((i) => Number(i.value))])));
}

test('Lesson page quiz shows the right answers spread over the positions and the same order after a reload', async () => {
  // Two learners, each a fresh browser profile with its own seed.
  for (let learner = 0; learner < 2; learner += 1) {
    const profile = await launch();
    const page = await profile.context.newPage();
    const errors = watchErrors(page);
    const counts = new Map();
    let total = 0;
    for (const { slug, quiz } of lessons) {
      const first = await shownOrders(page, slug);
      assert.deepEqual(await shownOrders(page, slug), first, `${slug}: the order survives a reload`);
      for (const q of quiz.questions.filter((x) => x.kind === 'choice')) {
        const position = first[q.id].indexOf(correctChoice(q));
        assert.ok(position >= 0, `${slug} ${q.id}: every option is shown`);
        counts.set(position, (counts.get(position) ?? 0) + 1);
        total += 1;
      }
    }
    const seed = await page.evaluate(() => localStorage.getItem('stateless-lab:learner-seed'));
    assert.match(seed, /^\d+$/, 'the learner seed is kept with the progress');
    const largest = Math.max(...counts.values()) / total;
    assert.ok(largest <= 0.4, `learner ${learner} (seed ${seed}): one position holds ${(largest * 100).toFixed(0)}% of the right answers`);
    assert.deepEqual(errors, []);
    await profile.close();
  }
});

test('Lesson page quiz feedback lists the options in the order shown and names no letters', async () => {
  const { slug, quiz } = lessons[0];
  const page = await env.browser.context.newPage();
  const order = await shownOrders(page, slug);
  const q = quiz.questions.find((x) => x.kind === 'choice');
  await answer(page, q.id, correctChoice(q));
  const listed = await page.locator(`#quiz-${q.id} .quiz-whys li strong`).allTextContents();
  assert.deepEqual(listed.map((t) => t.replace(/ \((your answer|right answer|your answer, right answer)\): $/, '').replace(/: $/, '')),
    order[q.id].map((i) => q.options[i].text));
  const feedback = await page.locator(`#quiz-${q.id} .quiz-feedback`).textContent();
  assert.doesNotMatch(feedback, /\b(option|answer) [A-E]\b|\([a-e]\)/);
  await page.close();
});
