// Narration: the words the widget's log and screen-reader region use for what the core reports.
// Every name the core can report gets words of its own (a new action, reason or session mode
// in the core fails here until it is told), and the words agree with real traces of the core.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadLab, VOCABULARY, Kind, Outcome, Reason, ACTIONS, Node } from '../../web/lab/stateless-lab.mjs';
import { describeEvent, describeAction, modeWords, scheduleOf } from '../../web/widget/narration.mjs';

const lab = await loadLab();

test('narration.describeAction has its own sentence for every action the core knows', () => {
  const ctx = { mode: 'server_memory', rate: 50, policy: 'round_robin' };
  const seen = new Set();
  for (const [i, name] of ACTIONS.entries()) {
    const text = describeAction(i, 2, 7, ctx);
    assert.notEqual(text, name.replace(/_/g, ' '), `${name} falls back to its bare name`);
    seen.add(text);
  }
  assert.equal(seen.size, ACTIONS.length, 'no two actions read the same');
});

test('narration.modeWords has words for every session mode the core knows', () => {
  for (const mode of VOCABULARY.sessionModes) assert.notEqual(modeWords(mode), mode, `${mode} has no words`);
});

test('narration.modeWords, describeEvent and describeAction take the words of each session mode from the core\'s sessionModeTraits', () => {
  for (const mode of VOCABULARY.sessionModes) {
    const t = VOCABULARY.sessionModeTraits[mode];
    assert.equal(modeWords(mode), t.where, mode);
    assert.equal(describeEvent(Kind.RESPOND, Outcome.OK, 0, 2, 5, 0, mode).text, `user 5 → server 2: ${t.served}`, mode);
    const kill = describeAction(ACTIONS.indexOf('kill_server'), 1, -1, { mode });
    assert.equal(/sessions in its memory are lost/.test(kill), t.inServerMemory, mode);
  }
  assert.equal(modeWords('no_such_mode'), 'no_such_mode', 'an unknown mode is named as it is');
});

test('VOCABULARY.sessionModeTraits words are the ones the widget reads out', () => {
  const where = Object.fromEntries(VOCABULARY.sessionModes.map((m) => [m, VOCABULARY.sessionModeTraits[m].where]));
  assert.deepEqual(where, { none: 'nowhere (stateless requests)', server_memory: 'in server memory', shared_store: 'in a shared store', token: 'in signed tokens' });
  const served = Object.fromEntries(VOCABULARY.sessionModes.map((m) => [m, VOCABULARY.sessionModeTraits[m].served]));
  assert.deepEqual(served, { none: 'served, nothing to remember', server_memory: 'session found there, ok', shared_store: 'session read from the store, ok', token: 'token verified, ok' });
  const store = Object.fromEntries(VOCABULARY.sessionModes.map((m) => [m, VOCABULARY.sessionModeTraits[m].store]));
  assert.deepEqual(store, { none: 'Session store', server_memory: 'Session store', shared_store: 'Session store', token: 'Deny list' });
});

test('narration.describeEvent says why for every reason the core gives, whichever kind of end it comes with', () => {
  for (const kind of [Kind.FAILED, Kind.REJECTED]) {
    const texts = new Set();
    for (const [code, name] of VOCABULARY.reasons.entries()) {
      if (name === 'none') continue;
      const outcome = kind === Kind.FAILED ? Outcome.FAILED : Outcome.REJECTED;
      const { text } = describeEvent(kind, outcome, 0, 1, 3, code, 'shared_store');
      // Without words for the reason the sentence falls back to "at server 1".
      assert.ok(!/: at server 1$/.test(text), `${name}: "${text}"`);
      texts.add(text);
    }
    assert.equal(texts.size, VOCABULARY.reasons.length - 1, [...texts].join(' | '));
  }
  // The core ends a revoked user's request as FAILED with outcome DENIED.
  assert.equal(describeEvent(Kind.FAILED, Outcome.DENIED, 0, 1, 3, Reason.REVOKED, 'token').tally, 'denied');
});

test('narration.describeEvent agrees with the core: a crash logs out sticky users, a store keeps them in', () => {
  const scenario = {
    seed: 3, duration_s: 12, traffic: { users: 60, rate_per_s: 80 },
    balancer: { policy: 'sticky_cookie' }, servers: { count: 3 }, session: { mode: 'server_memory' },
    timeline: [{ at_s: 4, do: 'kill_server', server: 0 }],
  };
  const words = (mode) => {
    const sim = lab.create({ ...scenario, session: { mode } }, { trace: true, traceLimit: 1e6 });
    const out = { miss: 0, ok: 0, texts: new Set() };
    try {
      while (!sim.finished) {
        sim.step(0.5);
        const t = sim.trace();
        for (let i = 0; i < t.count; ++i) {
          const d = describeEvent(t.kind[i], t.outcome[i], t.flags[i], t.from[i], t.user[i], t.detail[i], mode);
          if (!d) continue;
          if (t.kind[i] === Kind.RESPOND && t.outcome[i] === Outcome.MISS) out.miss += 1;
          if (d.tally === 'ok') out.ok += 1;
          out.texts.add(d.text.replace(/user \d+ → server \d+/, 'U → S'));
        }
      }
    } finally { sim.delete(); }
    return out;
  };
  const sticky = words('server_memory');
  assert.ok(sticky.miss > 0, 'the crash logs users out');
  assert.ok(sticky.texts.has('U → S: no session there, logged out (logs in again)'));
  assert.ok(sticky.texts.has('U → S: session found there, ok'));
  const store = words('shared_store');
  assert.equal(store.miss, 0);
  assert.ok(store.texts.has('U → S: session read from the store, ok'));
  assert.ok(!store.texts.has('U → S: no session there, logged out (logs in again)'));
  assert.equal(Node.STORE < 0, true);
  assert.equal(typeof Reason.NONE, 'number');
});

test('narration.scheduleOf lists a scenario\'s timeline in time order with its argument', () => {
  const s = scheduleOf({ timeline: [{ at_s: 20, do: 'store_down' }, { at_s: 5, do: 'kill_server', server: 1 }, { at_s: 9, do: 'set_policy', policy: 'round_robin' }, { do: 'bad' }] });
  assert.deepEqual(s, [{ at_s: 5, text: 'kill server 1' }, { at_s: 9, text: 'set policy round robin' }, { at_s: 20, text: 'store down' }]);
});
