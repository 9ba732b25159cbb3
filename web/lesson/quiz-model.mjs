// The quiz format and its grading, with no DOM: used by the lesson page and by the content
// tests. A quiz is {"questions": [...]}; each question has an id, a kind, a prompt and options
// that each explain themselves ("why").
//
// "choice": exactly one option has "correct": true.
// "predict": the learner predicts a number the simulation will produce. The question names a
// scenario file and a metric ({scenario, metric, per?, reduce?, format?}); each option carries
// a numeric "range" [low, high): low inclusive, high exclusive, null for unbounded. Ranges may
// not overlap, so at most one option can contain any value; the correct option is the one
// whose range contains the value computed by running the scenario. It is never stored.
import { metricValue, reducers } from './metric.mjs';

export const MIN_QUESTIONS = 8;
export const MIN_PREDICT = 2;
const FORMATS = ['number', 'percent', 'ms', 's', 'bytes', 'ratio'];
const QUESTION_FIELDS = {
  choice: ['id', 'kind', 'prompt', 'options', 'sources'],
  predict: ['id', 'kind', 'prompt', 'options', 'sources', 'scenario', 'metric', 'per', 'reduce', 'format'],
};

/// True when `v` is inside range [low, high) (null ends are unbounded).
export function rangeContains(range, v) {
  if (typeof v !== 'number' || Number.isNaN(v)) return false;
  const [low, high] = range;
  return (low === null || v >= low) && (high === null || v < high);
}

function rangesOverlap(a, b) {
  const aLow = a[0] ?? -Infinity, aHigh = a[1] ?? Infinity;
  const bLow = b[0] ?? -Infinity, bHigh = b[1] ?? Infinity;
  return aLow < bHigh && bLow < aHigh;
}

/// True for a well-formed absolute http(s) URL.
export function isWebUrl(text) {
  if (typeof text !== 'string' || /\s/.test(text)) return false;
  try {
    const u = new URL(text);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname.includes('.');
  } catch {
    return false;
  }
}

const nonEmpty = (v) => typeof v === 'string' && v.trim().length > 0;

/// Everything wrong with a quiz, as "path: problem" strings (empty when valid).
export function quizProblems(quiz) {
  const out = [];
  if (!quiz || typeof quiz !== 'object' || Array.isArray(quiz)) return ['$: a quiz must be an object {"questions": [...]}'];
  for (const k of Object.keys(quiz)) if (k !== 'questions') out.push(`$.${k}: unknown field`);
  const qs = quiz.questions;
  if (!Array.isArray(qs)) return [...out, '$.questions: must be an array'];
  if (qs.length < MIN_QUESTIONS) out.push(`$.questions: has ${qs.length} questions; at least ${MIN_QUESTIONS} are needed`);
  const ids = new Set();
  let predicts = 0;
  qs.forEach((q, i) => {
    const at = `$.questions[${i}]`;
    if (!q || typeof q !== 'object') { out.push(`${at}: must be an object`); return; }
    if (!nonEmpty(q.id) || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(q.id)) out.push(`${at}.id: must be a kebab-case name`);
    else if (ids.has(q.id)) out.push(`${at}.id: "${q.id}" is used twice`);
    ids.add(q.id);
    const allowed = QUESTION_FIELDS[q.kind];
    if (!allowed) { out.push(`${at}.kind: must be "choice" or "predict"`); return; }
    for (const k of Object.keys(q)) if (!allowed.includes(k)) out.push(`${at}.${k}: unknown field for a ${q.kind} question`);
    if (!nonEmpty(q.prompt)) out.push(`${at}.prompt: must be a non-empty string`);
    if (q.sources !== undefined) {
      if (!Array.isArray(q.sources)) out.push(`${at}.sources: must be an array of URLs`);
      else q.sources.forEach((s, j) => { if (!isWebUrl(s)) out.push(`${at}.sources[${j}]: not a well-formed http(s) URL`); });
    }
    if (!Array.isArray(q.options) || q.options.length < 2) { out.push(`${at}.options: at least two options are needed`); return; }
    const texts = new Set();
    q.options.forEach((o, j) => {
      const oat = `${at}.options[${j}]`;
      if (!o || typeof o !== 'object') { out.push(`${oat}: must be an object`); return; }
      const fields = q.kind === 'choice' ? ['text', 'correct', 'why'] : ['text', 'range', 'why'];
      for (const k of Object.keys(o)) if (!fields.includes(k)) out.push(`${oat}.${k}: unknown field for a ${q.kind} option`);
      if (!nonEmpty(o.text)) out.push(`${oat}.text: must be a non-empty string`);
      else if (texts.has(o.text)) out.push(`${oat}.text: repeats another option`);
      texts.add(o.text);
      if (!nonEmpty(o.why)) out.push(`${oat}.why: every option must say why`);
    });
    if (q.kind === 'choice') {
      q.options.forEach((o, j) => { if (o && typeof o.correct !== 'boolean') out.push(`${at}.options[${j}].correct: must be true or false`); });
      const n = q.options.filter((o) => o && o.correct === true).length;
      if (n !== 1) out.push(`${at}.options: exactly one option must be correct (found ${n})`);
    } else {
      predicts += 1;
      if (!nonEmpty(q.scenario) || !/^scenarios\/[a-z0-9-]+\.json$/.test(q.scenario)) out.push(`${at}.scenario: must name a file like "scenarios/name.json"`);
      if (!nonEmpty(q.metric)) out.push(`${at}.metric: must name a results path like "sessions.lost"`);
      if (q.per !== undefined) {
        const pers = Array.isArray(q.per) ? q.per : [q.per];
        if (!pers.length || !pers.every(nonEmpty)) out.push(`${at}.per: must be a path or a non-empty array of paths`);
      }
      if (q.reduce !== undefined && !reducers[q.reduce]) out.push(`${at}.reduce: must be one of ${Object.keys(reducers).join(', ')}`);
      if (q.format !== undefined && !FORMATS.includes(q.format)) out.push(`${at}.format: must be one of ${FORMATS.join(', ')}`);
      const ranges = [];
      q.options.forEach((o, j) => {
        const r = o?.range;
        const ok = Array.isArray(r) && r.length === 2 && r.every((x) => x === null || (typeof x === 'number' && Number.isFinite(x)))
          && (r[0] === null || r[1] === null || r[0] < r[1]);
        if (!ok) { out.push(`${at}.options[${j}].range: must be [low, high] with low < high (null for unbounded)`); return; }
        ranges.forEach(([k, other]) => {
          if (rangesOverlap(other, r)) out.push(`${at}.options[${j}].range: overlaps option ${k}, so two options could match`);
        });
        ranges.push([j, r]);
      });
    }
  });
  if (predicts < MIN_PREDICT) out.push(`$.questions: has ${predicts} predict questions; at least ${MIN_PREDICT} are needed`);
  return out;
}

/// A 32-bit FNV-1a hash of a string.
function hash32(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/// A small seeded generator (mulberry32): returns a function giving floats in [0, 1).
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The order in which a learner sees the options of every question of a lesson's quiz:
 * {questionId: [option index shown first, second, ...]}. `seed` is the learner's own number
 * (kept by the progress store), so the order is the same on every visit and differs between
 * learners.
 *
 * Choice questions rotate the right answer through the positions: the k-th choice question of
 * the lesson shows it at position (base + k) mod n, where base comes from the seed and the
 * lesson. Within a lesson no position then holds the right answer more than once more than any
 * other, for any learner. The other options fill the remaining positions in a seeded shuffle.
 * Predict options are numeric ranges and keep their ascending order.
 */
export function optionOrders(quiz, seed, slug) {
  const out = {};
  const base = hash32(`${seed >>> 0}:${slug}`);
  let k = 0;
  for (const q of quiz?.questions ?? []) {
    const n = q.options?.length ?? 0;
    const identity = Array.from({ length: n }, (_, i) => i);
    if (q.kind !== 'choice' || n < 2) { out[q.id] = identity; continue; }
    const right = correctChoice(q);
    const target = (base + k) % n;
    k += 1;
    const rand = seeded(hash32(`${seed >>> 0}:${slug}:${q.id}`));
    const others = identity.filter((i) => i !== right);
    for (let i = others.length - 1; i > 0; i -= 1) {
      const j = Math.floor(rand() * (i + 1));
      [others[i], others[j]] = [others[j], others[i]];
    }
    others.splice(target, 0, right);
    out[q.id] = others;
  }
  return out;
}

/// The index of the correct option of a choice question.
export function correctChoice(question) {
  return question.options.findIndex((o) => o.correct === true);
}

/// The value a predict question asks about, from a run {results, scenario}: {value} or {error}.
export function predictValue(question, run) {
  return metricValue(run, question);
}

/// The index of the option whose range contains `value`, or -1 when none does.
export function matchingOption(question, value) {
  const hits = [];
  question.options.forEach((o, i) => { if (rangeContains(o.range, value)) hits.push(i); });
  return hits.length === 1 ? hits[0] : -1;
}

/// The number of questions and how many of them have a correct recorded answer.
export function scoreOf(quiz, answers) {
  const total = quiz?.questions?.length ?? 0;
  let answered = 0, correct = 0;
  for (const q of quiz?.questions ?? []) {
    const a = answers?.[q.id];
    if (!a) continue;
    answered += 1;
    if (a.correct === true) correct += 1;
  }
  return { total, answered, correct };
}
