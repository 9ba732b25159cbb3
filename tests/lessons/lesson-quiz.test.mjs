// Quizzes: structure (enough questions, every option explains itself, one correct answer per
// choice question, non-overlapping ranges per predict question), and the answers of predict
// questions come from running their scenarios: exactly one option contains the simulated
// value, clear of its range's edges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectedSlugs, readJson, exists, runScenario } from './lesson-files.mjs';
import {
  quizProblems, matchingOption, rangeContains, predictValue, correctChoice, scoreOf, optionOrders, MIN_QUESTIONS,
} from '../../web/lesson/quiz-model.mjs';
import { readPath, metricValue } from '../../web/lesson/metric.mjs';

/// A predicted value must sit at least this share of its option's width inside the range, so
/// that a small change in the model cannot silently move the right answer. A lower edge of 0
/// needs no margin: lesson metrics are counts, shares and times, never negative.
const EDGE_MARGIN = 0.03;

function clearOfEdges([low, high], v) {
  const width = low !== null && high !== null ? high - low : Math.max(Math.abs(low ?? 0), Math.abs(high ?? 0), 1);
  const m = EDGE_MARGIN * width;
  const lowOk = low === null || low === 0 || v >= low + m;
  const highOk = high === null || v <= high - m;
  return lowOk && highOk;
}

for (const slug of expectedSlugs) {
  test(`Quiz ${slug} is well-formed: ${MIN_QUESTIONS}+ questions, 2+ predict, a why for every option`, () => {
    assert.deepEqual(quizProblems(readJson(`lessons/${slug}/quiz.json`)), []);
  });

  test(`Quiz ${slug} predict questions have exactly one option matching the simulated value`, () => {
    const quiz = readJson(`lessons/${slug}/quiz.json`);
    for (const q of quiz.questions.filter((x) => x.kind === 'predict')) {
      const file = `lessons/${slug}/${q.scenario}`;
      assert.ok(exists(file), `${q.id}: ${q.scenario} exists`);
      const run = runScenario(file);
      const { value, error } = predictValue(q, run);
      assert.equal(error, undefined, `${q.id}: ${error}`);
      assert.ok(Number.isFinite(value), `${q.id}: simulated value ${value}`);
      const hits = q.options.filter((o) => rangeContains(o.range, value));
      assert.equal(hits.length, 1, `${q.id}: ${hits.length} options contain the simulated value ${value}`);
      const i = matchingOption(q, value);
      assert.ok(clearOfEdges(q.options[i].range, value),
        `${q.id}: simulated ${value} is within ${EDGE_MARGIN * 100}% of the edge of [${q.options[i].range}]; widen or move the ranges`);
    }
  });
}

test('Quizzes ask different things: no question id or prompt repeats across lessons', () => {
  const seen = new Map();
  for (const slug of expectedSlugs) {
    for (const q of readJson(`lessons/${slug}/quiz.json`).questions) {
      for (const key of [`id:${q.id}`, `prompt:${q.prompt}`]) {
        assert.ok(!seen.has(key), `${slug}: ${key} also in ${seen.get(key)}`);
        seen.set(key, slug);
      }
    }
  }
});

test('Choice questions do not always put the right answer in the same place', () => {
  const positions = new Set();
  for (const slug of expectedSlugs) {
    for (const q of readJson(`lessons/${slug}/quiz.json`).questions) if (q.kind === 'choice') positions.add(correctChoice(q));
  }
  assert.ok(positions.size >= 3, `correct answers only at positions ${[...positions]}`);
});

/// Most a shown position may hold of the right answers, for any learner.
const MAX_POSITION_SHARE = 0.4;
const quizzes = () => expectedSlugs.map((slug) => ({ slug, quiz: readJson(`lessons/${slug}/quiz.json`) }));

/// Shown positions of the right answers of every choice question, for one learner's seed:
/// [{slug, position, options}].
function shownRightPositions(seed) {
  const out = [];
  for (const { slug, quiz } of quizzes()) {
    const orders = optionOrders(quiz, seed, slug);
    for (const q of quiz.questions.filter((x) => x.kind === 'choice')) {
      out.push({ slug, position: orders[q.id].indexOf(correctChoice(q)), options: q.options.length });
    }
  }
  return out;
}

/// The largest share of right answers any one position holds.
function largestShare(rows) {
  const counts = new Map();
  for (const r of rows) counts.set(r.position, (counts.get(r.position) ?? 0) + 1);
  return Math.max(...counts.values()) / rows.length;
}

/// Learner seeds to try: small numbers, the extremes, and a spread of large ones.
const SEEDS = [0, 1, 2, 3, 0xffffffff, ...Array.from({ length: 400 }, (_, i) => (i * 2654435761) >>> 0)];

test('optionOrders shows each option of every question exactly once', () => {
  for (const seed of SEEDS.slice(0, 50)) {
    for (const { slug, quiz } of quizzes()) {
      const orders = optionOrders(quiz, seed, slug);
      for (const q of quiz.questions) {
        assert.deepEqual([...orders[q.id]].sort((a, b) => a - b), q.options.map((_, i) => i), `${slug} ${q.id} seed ${seed}`);
      }
    }
  }
});

test(`optionOrders spreads the right answers: no shown position holds more than ${MAX_POSITION_SHARE * 100}% of them, for any learner`, () => {
  for (const seed of SEEDS) {
    const rows = shownRightPositions(seed);
    assert.ok(largestShare(rows) <= MAX_POSITION_SHARE, `seed ${seed}: all lessons, largest share ${largestShare(rows)}`);
    for (const slug of expectedSlugs) {
      const mine = rows.filter((r) => r.slug === slug);
      assert.ok(largestShare(mine) <= MAX_POSITION_SHARE, `seed ${seed}, ${slug}: largest share ${largestShare(mine)}`);
    }
  }
});

test('optionOrders is the same for the same learner and lesson, and differs between learners', () => {
  const { slug, quiz } = quizzes()[0];
  assert.deepEqual(optionOrders(quiz, 12345, slug), optionOrders(quiz, 12345, slug));
  const distinct = new Set(SEEDS.slice(0, 20).map((seed) => JSON.stringify(optionOrders(quiz, seed, slug))));
  assert.ok(distinct.size >= 15, `only ${distinct.size} different orders for 20 learners`);
});

test('optionOrders keeps predict options in their ascending range order', () => {
  for (const { slug, quiz } of quizzes()) {
    const orders = optionOrders(quiz, 777, slug);
    for (const q of quiz.questions.filter((x) => x.kind === 'predict')) {
      assert.deepEqual(orders[q.id], q.options.map((_, i) => i), `${slug} ${q.id}`);
    }
  }
});

/// The right option gives itself away when it is habitually the longest.
const MAX_LONGEST_SHARE = 0.3;
const MAX_LONGEST_SHARE_PER_LESSON = 0.4;

test(`Quiz choice questions make the right option the longest in at most ${MAX_LONGEST_SHARE * 100}% of questions`, () => {
  let all = 0, longest = 0;
  for (const { slug, quiz } of quizzes()) {
    const choice = quiz.questions.filter((x) => x.kind === 'choice');
    const ids = choice.filter((q) => {
      const right = q.options[correctChoice(q)].text.length;
      return q.options.every((o, i) => i === correctChoice(q) || o.text.length <= right);
    }).map((q) => q.id);
    assert.ok(ids.length <= MAX_LONGEST_SHARE_PER_LESSON * choice.length,
      `${slug}: the right option is the longest (or tied) in ${ids.length} of ${choice.length}: ${ids.join(', ')}`);
    all += choice.length;
    longest += ids.length;
  }
  assert.ok(longest <= MAX_LONGEST_SHARE * all, `right option longest in ${longest} of ${all} choice questions`);
});

// ---- the format's rules, checked against quizzes that break them ----

const choice = (id, correct = [false, true, false]) => ({
  id, kind: 'choice', prompt: 'P?', options: correct.map((c, i) => ({ text: `o${i}`, correct: c, why: 'w' })),
});
const predict = (id, ranges) => ({
  id, kind: 'predict', prompt: 'P?', scenario: 'scenarios/x.json', metric: 'sessions.lost',
  options: ranges.map((r, i) => ({ text: `r${i}`, range: r, why: 'w' })),
});
const quizOf = (...extra) => ({
  questions: [...Array.from({ length: 6 }, (_, i) => choice(`c${i}`)), predict('p1', [[0, 1], [1, null]]), predict('p2', [[null, 0], [0, 5]]), ...extra],
});

test('quizProblems accepts a minimal valid quiz', () => {
  assert.deepEqual(quizProblems(quizOf()), []);
});

test('quizProblems refuses too few questions and too few predict questions', () => {
  assert.ok(quizProblems({ questions: [choice('a')] }).some((p) => p.includes('at least 8')));
  const q = quizOf();
  q.questions = q.questions.filter((x) => x.kind === 'choice').concat([choice('c7'), choice('c8')]);
  assert.ok(quizProblems(q).some((p) => p.includes('predict questions')));
});

test('quizProblems refuses a choice question with no or two correct options', () => {
  assert.ok(quizProblems(quizOf(choice('two', [true, true, false]))).some((p) => p.includes('exactly one option must be correct (found 2)')));
  assert.ok(quizProblems(quizOf(choice('none', [false, false]))).some((p) => p.includes('(found 0)')));
});

test('quizProblems refuses an option without a why, and unknown fields', () => {
  const q = quizOf();
  delete q.questions[0].options[1].why;
  q.questions[1].hint = 'x';
  q.questions[2].options[0].score = 1;
  const problems = quizProblems(q);
  assert.ok(problems.some((p) => p.startsWith('$.questions[0].options[1].why')));
  assert.ok(problems.some((p) => p.startsWith('$.questions[1].hint: unknown field')));
  assert.ok(problems.some((p) => p.startsWith('$.questions[2].options[0].score: unknown field')));
});

test('quizProblems refuses overlapping or malformed predict ranges, and stored answers', () => {
  const overlapping = quizProblems(quizOf(predict('p3', [[0, 0.5], [0.4, 1]])));
  assert.ok(overlapping.some((p) => p.includes('overlaps option 0')));
  const unbounded = quizProblems(quizOf(predict('p4', [[null, 2], [1, null]])));
  assert.ok(unbounded.some((p) => p.includes('overlaps')));
  const backwards = quizProblems(quizOf(predict('p5', [[3, 1], [4, 5]])));
  assert.ok(backwards.some((p) => p.includes('low < high')));
  const stored = predict('p6', [[0, 1], [1, 2]]);
  stored.options[0].correct = true;
  assert.ok(quizProblems(quizOf(stored)).some((p) => p.includes('correct: unknown field')));
});

test('quizProblems refuses repeated ids and scenario paths outside the lesson', () => {
  assert.ok(quizProblems(quizOf(choice('c0'))).some((p) => p.includes('used twice')));
  const outside = predict('p7', [[0, 1], [1, 2]]);
  outside.scenario = '../other/scenarios/x.json';
  assert.ok(quizProblems(quizOf(outside)).some((p) => p.includes('.scenario')));
});

test('rangeContains treats ranges as [low, high) with null for unbounded', () => {
  assert.equal(rangeContains([0, 1], 0), true);
  assert.equal(rangeContains([0, 1], 1), false);
  assert.equal(rangeContains([1, null], 1e9), true);
  assert.equal(rangeContains([null, 0], -5), true);
  assert.equal(rangeContains([0, 1], Number.NaN), false);
});

test('matchingOption finds the one option whose range holds the value, and -1 outside all of them', () => {
  const q = predict('p', [[0, 0.1], [0.1, 0.4], [0.4, null]]);
  assert.equal(matchingOption(q, 0.1), 1);
  assert.equal(matchingOption(q, 0.0999), 0);
  assert.equal(matchingOption(q, 7), 2);
  assert.equal(matchingOption(q, -1), -1);
});

test('metricValue divides by one path or the sum of several, and reads scenario fields', () => {
  const run = { scenario: { traffic: { users: 200 } }, results: { sessions: { lost: 50 }, requests: { denied: 30 }, auth: { revoked_accepted: 20 } } };
  assert.equal(metricValue(run, { metric: 'sessions.lost', per: 'scenario.traffic.users' }).value, 0.25);
  assert.equal(metricValue(run, { metric: 'auth.revoked_accepted', per: ['auth.revoked_accepted', 'requests.denied'] }).value, 0.4);
  assert.match(metricValue(run, { metric: 'sessions.gone' }).error, /no value/);
  assert.match(metricValue({ ...run, results: { sessions: { lost: 1 }, requests: { arrived: 0 } } }, { metric: 'sessions.lost', per: 'requests.arrived' }).error, /zero/);
});

test('readPath indexes arrays (negative from the end) and spreads "*" for reducers', () => {
  const r = { servers: [{ handled: 3 }, { handled: 9 }], series: { servers: [3, 4, 8] } };
  assert.equal(readPath(r, 'servers.1.handled'), 9);
  assert.equal(readPath(r, 'series.servers.-1'), 8);
  assert.deepEqual(readPath(r, 'servers.*.handled'), [3, 9]);
  assert.equal(readPath(r, 'servers.2.handled'), undefined);
  assert.equal(metricValue({ results: r }, { metric: 'servers.*.handled', reduce: 'max_over_mean' }).value, 1.5);
  assert.match(metricValue({ results: r }, { metric: 'servers.*.handled' }).error, /reduce/);
});

test('scoreOf counts answered and correct questions, ignoring answers to unknown ids', () => {
  const quiz = quizOf();
  const s = scoreOf(quiz, { c0: { choice: 1, correct: true }, c1: { choice: 0, correct: false }, zz: { choice: 0, correct: true } });
  assert.deepEqual(s, { total: 8, answered: 2, correct: 1 });
  assert.deepEqual(scoreOf(quiz, undefined), { total: 8, answered: 0, correct: 0 });
});
