// Quiz progress storage: answers survive, and missing, failing or corrupt storage never throws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProgressStore, browserStorage, freshSeed, KEY_PREFIX, SEED_KEY } from '../../web/lesson/progress-store.mjs';

/// A Storage-like map; `fail` makes chosen methods throw like a full or blocked localStorage.
function memoryStorage(fail = {}) {
  const m = new Map();
  return {
    map: m,
    getItem(k) { if (fail.get) throw new Error('blocked'); return m.has(k) ? m.get(k) : null; },
    setItem(k, v) { if (fail.set) throw new DOMException('full', 'QuotaExceededError'); m.set(k, String(v)); },
    removeItem(k) { if (fail.remove) throw new Error('blocked'); m.delete(k); },
  };
}

test('ProgressStore.saveAnswer then load returns the recorded answers of that lesson only', () => {
  const s = new ProgressStore(memoryStorage());
  assert.equal(s.saveAnswer('stateless', 'q1', { choice: 2, correct: true }), true);
  assert.equal(s.saveAnswer('stateless', 'q2', { choice: 0, correct: false, value: 0.73 }), true);
  assert.equal(s.saveAnswer('sticky-sessions', 'q1', { choice: 1, correct: false }), true);
  const { answers, recovered } = s.load('stateless');
  assert.equal(recovered, false);
  assert.deepEqual(answers, { q1: { choice: 2, correct: true }, q2: { choice: 0, correct: false, value: 0.73 } });
  assert.deepEqual(Object.keys(s.load('sticky-sessions').answers), ['q1']);
});

test('ProgressStore.saveAnswer overwrites an earlier answer to the same question', () => {
  const s = new ProgressStore(memoryStorage());
  s.saveAnswer('x', 'q1', { choice: 0, correct: false });
  s.saveAnswer('x', 'q1', { choice: 1, correct: true });
  assert.deepEqual(s.load('x').answers, { q1: { choice: 1, correct: true } });
});

test('ProgressStore.load recovers from corrupt entries: not JSON, wrong shape, wrong version', () => {
  for (const bad of ['{not json', '"a string"', '[]', 'null', '{"version": 99, "answers": {}}', '{"version": 1, "answers": []}']) {
    const st = memoryStorage();
    st.map.set(`${KEY_PREFIX}lesson`, bad);
    const s = new ProgressStore(st);
    assert.deepEqual(s.load('lesson'), { answers: {}, recovered: true }, bad);
    assert.equal(st.map.has(`${KEY_PREFIX}lesson`), false, `corrupt entry ${bad} is dropped`);
    assert.equal(s.saveAnswer('lesson', 'q1', { choice: 0, correct: true }), true);
    assert.deepEqual(s.load('lesson').answers, { q1: { choice: 0, correct: true } });
  }
});

test('ProgressStore.load keeps valid answers and drops malformed ones from a partly corrupt entry', () => {
  const st = memoryStorage();
  st.map.set(`${KEY_PREFIX}l`, JSON.stringify({ version: 1, answers: {
    good: { choice: 1, correct: true }, neg: { choice: -1, correct: true }, str: 'x', nobool: { choice: 0, correct: 'yes' },
  } }));
  const { answers, recovered } = new ProgressStore(st).load('l');
  assert.deepEqual(answers, { good: { choice: 1, correct: true } });
  assert.equal(recovered, true);
});

test('ProgressStore without storage, or with storage that throws, reads empty and reports failed writes', () => {
  for (const s of [new ProgressStore(null), new ProgressStore(memoryStorage({ get: true, set: true, remove: true }))]) {
    assert.deepEqual(s.load('l').answers, {});
    assert.equal(s.saveAnswer('l', 'q', { choice: 0, correct: true }), false);
    assert.doesNotThrow(() => s.reset('l'));
  }
});

test('ProgressStore.saveAnswer refuses malformed answers and full storage without throwing', () => {
  const s = new ProgressStore(memoryStorage({ set: true }));
  assert.equal(s.saveAnswer('l', 'q', { choice: 0, correct: true }), false);
  const ok = new ProgressStore(memoryStorage());
  assert.equal(ok.saveAnswer('l', 'q', { choice: 'a', correct: true }), false);
  assert.equal(ok.saveAnswer('l', 'q', null), false);
});

test('ProgressStore.reset forgets one lesson', () => {
  const s = new ProgressStore(memoryStorage());
  s.saveAnswer('a', 'q', { choice: 0, correct: true });
  s.saveAnswer('b', 'q', { choice: 0, correct: true });
  s.reset('a');
  assert.deepEqual(s.load('a').answers, {});
  assert.equal(Object.keys(s.load('b').answers).length, 1);
});

test('browserStorage returns null when localStorage is missing or throws', () => {
  assert.equal(browserStorage({}), null);
  assert.equal(browserStorage({ get localStorage() { throw new Error('SecurityError'); } }), null);
  assert.equal(browserStorage({ localStorage: memoryStorage({ set: true }) }), null);
  const st = memoryStorage();
  assert.equal(browserStorage({ localStorage: st }), st);
  assert.equal(st.map.size, 0, 'the probe leaves nothing behind');
});

test('ProgressStore.learnerSeed makes a seed once, keeps it in storage and returns it on the next visit', () => {
  const st = memoryStorage();
  let calls = 0;
  const make = () => { calls += 1; return 123456789; };
  assert.equal(new ProgressStore(st).learnerSeed(make), 123456789);
  assert.equal(st.map.get(SEED_KEY), '123456789');
  const later = new ProgressStore(st);  // a reload: a new store object on the same storage
  assert.equal(later.learnerSeed(() => 42), 123456789, 'the stored seed wins over a fresh one');
  assert.equal(calls, 1);
});

test('ProgressStore.learnerSeed replaces a stored seed that is not a 32-bit number', () => {
  for (const bad of ['', 'abc', '-5', '4294967296', '1.5', '99999999999']) {
    const st = memoryStorage();
    st.map.set(SEED_KEY, bad);
    assert.equal(new ProgressStore(st).learnerSeed(() => 7), 7, bad);
    assert.equal(st.map.get(SEED_KEY), '7', bad);
  }
});

test('ProgressStore.learnerSeed without working storage keeps one seed for the life of the store', () => {
  for (const s of [new ProgressStore(null), new ProgressStore(memoryStorage({ get: true, set: true }))]) {
    let n = 10;
    const make = () => { n += 1; return n; };
    const first = s.learnerSeed(make);
    assert.equal(s.learnerSeed(make), first);
    assert.equal(first, 11);
  }
});

test('ProgressStore.reset keeps the learner seed, so the option order stays after starting again', () => {
  const st = memoryStorage();
  const s = new ProgressStore(st);
  const seed = s.learnerSeed(() => 99);
  s.saveAnswer('a', 'q', { choice: 0, correct: true });
  s.reset('a');
  assert.equal(new ProgressStore(st).learnerSeed(() => 1), seed);
});

test('freshSeed takes a 32-bit number from the given crypto.getRandomValues', () => {
  const fake = { getRandomValues: (a) => { a[0] = 0xdeadbeef; return a; } };
  assert.equal(freshSeed(fake), 0xdeadbeef);
  const real = freshSeed();
  assert.ok(Number.isInteger(real) && real >= 0 && real <= 0xffffffff);
});
