// Quiz progress kept in the browser's localStorage, one entry per lesson. Storage that is
// missing (private mode, disabled cookies, a sandboxed frame), full, or holding something
// unreadable must never break a page: reads then give an empty progress and writes report
// false. A corrupt entry is dropped and replaced by the next answer.

export const KEY_PREFIX = 'stateless-lab:quiz:';
export const VERSION = 1;
/// The learner's own number that fixes the order of quiz options (quiz-model.mjs optionOrders).
export const SEED_KEY = 'stateless-lab:learner-seed';

/// A fresh 32-bit seed from the platform's cryptographic generator.
export function freshSeed(cryptoObj = globalThis.crypto) {
  return cryptoObj.getRandomValues(new Uint32Array(1))[0];
}

/// The page's localStorage if it can be used, else null (never throws).
export function browserStorage(win = globalThis) {
  try {
    const s = win.localStorage;
    if (!s) return null;
    const probe = `${KEY_PREFIX}probe`;
    s.setItem(probe, '1');
    s.removeItem(probe);
    return s;
  } catch {
    return null;
  }
}

/// One recorded answer: the option chosen, whether it was right, and for predict questions
/// the simulated value it was graded against.
function cleanAnswer(a) {
  if (!a || typeof a !== 'object') return null;
  if (!Number.isInteger(a.choice) || a.choice < 0 || typeof a.correct !== 'boolean') return null;
  const out = { choice: a.choice, correct: a.correct };
  if (typeof a.value === 'number' && Number.isFinite(a.value)) out.value = a.value;
  if (typeof a.at === 'string') out.at = a.at.slice(0, 40);
  return out;
}

export class ProgressStore {
  #storage;
  #seed = null;

  /// storage: a Storage-like object (getItem/setItem/removeItem) or null for none.
  constructor(storage) { this.#storage = storage ?? null; }

  get available() { return this.#storage !== null; }

  key(slug) { return `${KEY_PREFIX}${slug}`; }

  /// {answers: {questionId: answer}, recovered} where recovered says a corrupt entry was dropped.
  load(slug) {
    const empty = { answers: {}, recovered: false };
    if (!this.#storage) return empty;
    let text;
    try { text = this.#storage.getItem(this.key(slug)); } catch { return empty; }
    if (text === null || text === undefined) return empty;
    let doc;
    try { doc = JSON.parse(text); } catch { doc = null; }
    if (!doc || typeof doc !== 'object' || doc.version !== VERSION || !doc.answers || typeof doc.answers !== 'object' || Array.isArray(doc.answers)) {
      this.#forget(slug);
      return { answers: {}, recovered: true };
    }
    const answers = {};
    let dropped = false;
    for (const [id, a] of Object.entries(doc.answers)) {
      const clean = cleanAnswer(a);
      if (clean) answers[id] = clean;
      else dropped = true;
    }
    return { answers, recovered: dropped };
  }

  /// Records an answer; false when it could not be stored (no storage, quota, ...).
  saveAnswer(slug, questionId, answer) {
    if (!this.#storage) return false;
    const clean = cleanAnswer(answer);
    if (!clean) return false;
    const { answers } = this.load(slug);
    answers[questionId] = clean;
    try {
      this.#storage.setItem(this.key(slug), JSON.stringify({ version: VERSION, answers }));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * The learner's seed: read from storage, or made once with crypto.getRandomValues and kept,
   * so the quiz options appear in the same order after a reload. Without storage (or when it
   * fails) the seed lasts as long as this object. `make` is the generator, for tests.
   */
  learnerSeed(make = freshSeed) {
    if (this.#seed !== null) return this.#seed;
    let text = null;
    try { text = this.#storage?.getItem(SEED_KEY) ?? null; } catch { text = null; }
    if (text !== null && /^\d{1,10}$/.test(text) && Number(text) <= 0xffffffff) {
      this.#seed = Number(text);
      return this.#seed;
    }
    this.#seed = make() >>> 0;
    try { this.#storage?.setItem(SEED_KEY, String(this.#seed)); } catch { /* kept in memory only */ }
    return this.#seed;
  }

  /// Forgets a lesson's answers (the quiz's "start again").
  reset(slug) { return this.#forget(slug); }

  #forget(slug) {
    try { this.#storage?.removeItem(this.key(slug)); return true; } catch { return false; }
  }
}
