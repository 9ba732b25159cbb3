// The core owns the vocabulary: the names of policies, session modes, actions, trace kinds,
// outcomes, reasons and the stream model's names are spelled once, in wasm/vocabulary.h. These
// tests prove that the JS API, its type declarations, the widget's URL form and every module
// under web/ take them from there.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

import { ACTIONS, Kind, Outcome, Reason, StreamKind, VOCABULARY, loadLab } from '../../web/lab/stateless-lab.mjs';
import { actionNames, formatActions, parseActions, policies, sessionModes } from '../../web/widget/url-state.mjs';
import { MODES, POLICIES, parseCompare } from '../../web/lesson/lab-block.mjs';
import { describeAction, describeEvent } from '../../web/widget/narration.mjs';
import { isStateful } from '../../web/widget/stream-layout.mjs';
import { typeNameOf, vocabularyDts } from '../../scripts/vocabulary-dts.mjs';
import { root, tempDir } from './support.mjs';

const lab = await loadLab();
const vocabulary = lab.vocabulary;

/** A small cluster every action has something to act on in. */
const cluster = { seed: 3, duration_s: 30, traffic: { users: 50, rate_per_s: 50 }, servers: { count: 4 } };

/** What an action of this name needs besides `do`, valid in `cluster`. */
const fieldsOf = (name) => ({
  kill_server: { server: 1 }, restart_server: { server: 1 }, remove_server: { server: 1 },
  revoke_user: { user: 3 }, set_rate: { rate: 20 }, set_policy: { policy: vocabulary.policies[0] },
  set_session_mode: { mode: vocabulary.sessionModes[0] },
}[name] ?? {});

/** The tables that are lists of names (the others hold what the core says of each name). */
const lists = () => Object.entries(vocabulary).filter(([, table]) => Array.isArray(table));

test('Lab.vocabulary is a frozen object of frozen lists read from the core, equal to VOCABULARY', () => {
  assert.ok(Object.isFrozen(vocabulary));
  for (const [key, names] of lists()) {
    assert.ok(Object.isFrozen(names), key);
    assert.ok(names.length > 0, key);
    assert.equal(new Set(names).size, names.length, `${key} has no name twice`);
  }
  assert.deepEqual(vocabulary, JSON.parse(lab._module.vocabulary()));
  // The generated module the JS API exports before any core is loaded is the same tables.
  assert.deepEqual(VOCABULARY, vocabulary);
  assert.ok(vocabulary.actions.includes('rolling_restart'));
});

test('Lab.vocabulary names are the ones the core accepts: each policy, mode and distribution validates', () => {
  for (const policy of vocabulary.policies) assert.deepEqual(lab.validate({ ...cluster, balancer: { policy } }), { ok: true }, policy);
  for (const mode of vocabulary.sessionModes) assert.deepEqual(lab.validate({ ...cluster, session: { mode } }), { ok: true }, mode);
  for (const dist of vocabulary.distributions) {
    assert.deepEqual(lab.validate({ ...cluster, servers: { count: 4, service_ms: { dist, mean: 5 } } }), { ok: true }, dist);
  }
  for (const mode of vocabulary.checkpointModes) {
    const stream = lab.scenarioText(lab.scenarios().find((s) => s.kind === 'stream').name);
    assert.deepEqual(lab.validate({ ...JSON.parse(stream), checkpoint: { mode } }), { ok: true }, mode);
  }
  assert.equal(lab.validate({ ...cluster, balancer: { policy: 'fastest' } }).ok, false);
});

test('Lab.vocabulary actions: every one applies live and its ACTION trace event names it by its index', () => {
  for (const name of vocabulary.actions) {
    const sim = lab.create(cluster, { trace: true });
    sim.runUntil(2);
    assert.equal(sim.apply({ do: name, ...fieldsOf(name) }).ok, true, name);
    const seen = [];
    for (let i = 0; i < 40 && !seen.length; ++i) {
      const t = sim.trace();
      for (let k = 0; k < t.count; ++k) if (t.kind[k] === Kind.ACTION) seen.push(ACTIONS[t.detail[k]]);
      sim.step(0.25);
    }
    assert.deepEqual(seen.slice(0, 1), [name], `${name} shows in the trace under its own name`);
    sim.delete();
  }
});

test('Simulation.apply rolling_restart restarts the servers one at a time, gap_s apart', () => {
  const sim = lab.create(cluster, { trace: true });
  sim.runUntil(2);
  assert.deepEqual(sim.apply({ do: 'rolling_restart', gap_s: 2 }), { ok: true });
  const restarts = [];
  while (sim.now < 12) {
    const t = sim.trace();
    for (let k = 0; k < t.count; ++k) {
      // The action itself (to = -1), then one event per server as its turn comes.
      if (t.kind[k] === Kind.ACTION && ACTIONS[t.detail[k]] === 'rolling_restart' && t.to[k] >= 0) restarts.push([t.to[k], t.t0[k]]);
    }
    sim.step(0.1);
  }
  assert.deepEqual(restarts.map(([server]) => server), [0, 1, 2, 3]);
  for (let i = 1; i < restarts.length; ++i) assert.ok(Math.abs(restarts[i][1] - restarts[i - 1][1] - 2) < 1e-6, 'gap_s apart');
  assert.equal(sim.apply({ do: 'rolling_restart', gap_s: 0 }).ok, false, 'a gap must be more than 0');
  sim.delete();
});

test('Trace constants Kind, Outcome, Reason and StreamKind number the core\'s names by their index', () => {
  const numbered = (names) => Object.fromEntries(names.map((n, i) => [n.toUpperCase(), i]));
  assert.deepEqual({ ...Kind }, numbered(vocabulary.traceKinds));
  assert.deepEqual({ ...Outcome }, numbered(vocabulary.outcomes));
  assert.deepEqual({ ...Reason }, numbered(vocabulary.reasons));
  assert.deepEqual({ ...StreamKind }, numbered(vocabulary.streamTraceKinds));
  assert.equal(ACTIONS, VOCABULARY.actions);
});

test('Lab.vocabulary statefulStreamOperators are the operators the core counts as stateful, and the stream view marks those', () => {
  const stream = { kind: 'stream', duration_s: 10, source: { rate_per_s: 10, keys: 4 } };
  const params = { filter: { min: 1 }, map: { scale: 2 }, route: {}, window_count: { window_s: 1 }, window_sum: { window_s: 1 } };
  for (const op of vocabulary.streamOperators) {
    // The core refuses a fifth stateful operator: five of a kind validate only when it keeps no state.
    const five = Array.from({ length: 5 }, () => ({ op, ...(params[op] ?? {}) }));
    const r = lab.validate({ ...stream, pipeline: five });
    const stateful = !r.ok && /fifth stateful operator/.test(r.message);
    assert.equal(vocabulary.statefulStreamOperators.includes(op), stateful, op);
    assert.equal(isStateful({ op }), stateful, op);
  }
  assert.ok(vocabulary.statefulStreamOperators.length > 0);
});

test('Lab.vocabulary sessionModeTraits give every session mode its words, credential, store name and inServerMemory, frozen through', () => {
  const traits = vocabulary.sessionModeTraits;
  assert.deepEqual(Object.keys(traits), [...vocabulary.sessionModes]);
  for (const [mode, t] of Object.entries(traits)) {
    assert.ok(Object.isFrozen(t), mode);
    assert.deepEqual(Object.keys(t).sort(), ['credential', 'inServerMemory', 'served', 'store', 'where'], mode);
    for (const key of ['where', 'served', 'store']) assert.ok(typeof t[key] === 'string' && t[key].length > 0, `${mode}.${key}`);
    assert.ok(['none', 'cookie', 'token'].includes(t.credential), mode);
    assert.equal(typeof t.inServerMemory, 'boolean', mode);
  }
  const words = (key) => new Set(Object.values(traits).map((t) => t[key]));
  assert.equal(words('where').size, vocabulary.sessionModes.length, 'each mode its own where');
  assert.equal(words('served').size, vocabulary.sessionModes.length, 'each mode its own served');
  // The generated module holds the same, frozen too.
  assert.ok(Object.isFrozen(VOCABULARY.sessionModeTraits.token));
});

test('Lab.vocabulary sessionModeTraits agree with runs of the core: credential is what each request carries, inServerMemory where servers hold sessions', () => {
  for (const mode of vocabulary.sessionModes) {
    const t = vocabulary.sessionModeTraits[mode];
    const scenario = { ...cluster, session: { mode, cookie_bytes: 37 }, token: { bytes: 611 } };
    const sim = lab.create(scenario);
    sim.run();
    const bytes = sim.results().bytes.credentials_per_request;
    const held = sim.servers().reduce((n, s) => n + s.sessions, 0);
    sim.delete();
    assert.equal(lab.theory.credentialBytes(scenario), bytes, mode);
    assert.equal(bytes, { none: 0, cookie: 37, token: 611 }[t.credential], mode);
    assert.equal(held > 0, t.inServerMemory, mode);
  }
  assert.equal(lab.theory.credentialBytes({ ...cluster, session: { mode: 'nowhere' } }), null);
});

test('Lab.vocabulary stickyPolicies are the policies under which all of a user\'s requests reach one server', () => {
  assert.ok(vocabulary.stickyPolicies.length > 0);
  for (const policy of vocabulary.policies) {
    const sim = lab.create({ ...cluster, duration_s: 6, balancer: { policy } }, { trace: true, traceLimit: 1e6 });
    const servers = new Map();
    while (!sim.finished) {
      sim.step(0.5);
      const t = sim.trace();
      for (let i = 0; i < t.count; ++i) {
        if (t.kind[i] !== Kind.DISPATCH || t.from[i] !== -2) continue;
        if (!servers.has(t.user[i])) servers.set(t.user[i], new Set());
        servers.get(t.user[i]).add(t.to[i]);
      }
    }
    sim.delete();
    assert.ok(servers.size > 10, `${policy}: users were dispatched`);
    const pinned = [...servers.values()].every((s) => s.size === 1);
    assert.equal(vocabulary.stickyPolicies.includes(policy), pinned, policy);
  }
});

test('Widget and lesson lists of policies, modes and actions are the core\'s', () => {
  assert.deepEqual(policies, vocabulary.policies);
  assert.deepEqual(sessionModes, vocabulary.sessionModes);
  assert.deepEqual(actionNames, vocabulary.actions);
  assert.deepEqual(POLICIES, vocabulary.policies);
  assert.deepEqual(MODES, vocabulary.sessionModes);
  for (const policy of vocabulary.policies) assert.equal(parseCompare(policy).policy, policy);
  for (const mode of vocabulary.sessionModes) assert.equal(parseCompare(mode).mode, mode);
});

test('parseActions reads rolling_restart from the URL form, with and without a gap, and the core accepts it', () => {
  const r = parseActions('1:rolling_restart,2.5:rolling_restart:4');
  assert.equal(r.error, undefined);
  assert.deepEqual(r.value, [{ at_s: 1, do: 'rolling_restart' }, { at_s: 2.5, do: 'rolling_restart', gap_s: 4 }]);
  assert.deepEqual(parseActions(formatActions(r.value)).value, r.value, 'formatActions writes what parseActions reads');
  assert.match(parseActions('1:rolling_restart:0').error, /gap/);
  assert.match(parseActions('1:rolling_restart:2:3').error, /more parts/);
  assert.deepEqual(lab.validate({ ...cluster, timeline: r.value }), { ok: true });
  // Every action the URL form reads is named in the error for an unknown one.
  const unknown = parseActions('1:explode').error;
  for (const name of [...vocabulary.actions, ...vocabulary.streamActions]) assert.ok(unknown.includes(name), name);
});

test('Narration describes every action and reason code by the core\'s numbers', () => {
  for (let i = 0; i < vocabulary.actions.length; ++i) {
    const words = describeAction(i, 1, 3, { mode: 'none', policy: vocabulary.policies[0], rate: 10 });
    assert.notEqual(words, 'action', vocabulary.actions[i]);
  }
  assert.match(describeEvent(Kind.FAILED, Outcome.FAILED, 0, 2, 7, Reason.SERVER_DIED, 'none').text, /server 2 died/);
  assert.match(describeEvent(Kind.FAILED, Outcome.FAILED, 0, -3, 7, Reason.STORE_DOWN, 'none').text, /store is down/);
  assert.match(describeEvent(Kind.REJECTED, Outcome.REJECTED, 0, -2, 7, Reason.NO_SERVER, 'none').text, /no server in rotation/);
  assert.match(describeEvent(Kind.REJECTED, Outcome.REJECTED, 0, 1, 7, Reason.QUEUE_FULL, 'none').text, /queue is full/);
  assert.match(describeEvent(Kind.REJECTED, Outcome.REJECTED, 0, -3, 7, Reason.STORE_FULL, 'none').text, /store's queue is full/);
  assert.match(describeEvent(Kind.REJECTED, Outcome.DENIED, 0, 1, 7, Reason.REVOKED, 'none').text, /revoked/);
});

/** The string literals of `export type <name> = ...;` in the d.ts text, in order. */
function unionOf(dts, name) {
  const m = dts.match(new RegExp(`export type ${name} =([^;]*);`));
  assert.ok(m, `the d.ts declares type ${name}`);
  return [...m[1].matchAll(/'([^']*)'/g)].map((x) => x[1]);
}

/** The string literals of the tuple `readonly <key>: readonly [...]` of interface Vocabulary. */
function tupleOf(dts, key) {
  const m = dts.match(new RegExp(`readonly ${key}: readonly \\[([^\\]]*)\\];`));
  assert.ok(m, `Vocabulary declares ${key}`);
  return [...m[1].matchAll(/'([^']*)'/g)].map((x) => x[1]);
}

/** The members of `export type <name> = Readonly<{ A: 0; ... }>` as an object. */
function valuesOf(dts, name) {
  const m = dts.match(new RegExp(`export type ${name} = Readonly<\\{([^}]*)\\}>;`));
  assert.ok(m, `the d.ts declares type ${name}`);
  return Object.fromEntries([...m[1].matchAll(/([A-Z_]+): (\d+)/g)].map((x) => [x[1], Number(x[2])]));
}

/** The property names of `export interface <name> { ... }` (one level deep). */
function keysOf(dts, name) {
  const m = dts.match(new RegExp(`export interface ${name} \\{\\n([\\s\\S]*?)\\n\\}`));
  assert.ok(m, `the d.ts declares interface ${name}`);
  return [...m[1].matchAll(/^ {2}([a-z_]+): /gm)].map((x) => x[1]);
}

const builtDts = join(root, 'web/lab/core/vocabulary.d.ts');

test('scripts/vocabulary-dts.mjs writes from the core the same declarations the build wrote to web/lab/core/vocabulary.d.ts', () => {
  const out = join(tempDir(), 'vocabulary.d.ts');
  const r = spawnSync(process.execPath, [join(root, 'scripts/vocabulary-dts.mjs'), out], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(readFileSync(out, 'utf8'), readFileSync(builtDts, 'utf8'),
               'web/lab/core/vocabulary.d.ts is stale: rebuild (bash scripts/build.sh)');
  assert.equal(readFileSync(out, 'utf8'), vocabularyDts(vocabulary));
});

test('web/lab/core/vocabulary.d.ts declares each table of the core as a union, in the core\'s order, and as a tuple of Vocabulary', () => {
  const dts = readFileSync(builtDts, 'utf8');
  for (const [key, names] of Object.entries(vocabulary)) {
    if (!Array.isArray(names)) continue;  // a table of records: see the next test
    assert.deepEqual(unionOf(dts, typeNameOf(key)), [...names], key);
    assert.deepEqual(tupleOf(dts, key), [...names], key);
  }
  assert.deepEqual(unionOf(dts, 'Policy'), [...vocabulary.policies]);
  assert.deepEqual(unionOf(dts, 'SessionMode'), [...vocabulary.sessionModes]);
  assert.deepEqual(unionOf(dts, 'ActionName'), [...vocabulary.actions]);
  assert.deepEqual(unionOf(dts, 'CheckpointMode'), [...vocabulary.checkpointModes]);
  assert.deepEqual(unionOf(dts, 'StreamOperator'), [...vocabulary.streamOperators]);
  assert.deepEqual(unionOf(dts, 'StreamActionName'), [...vocabulary.streamActions]);
  // The types of the numbered constants are the constants.
  assert.deepEqual(valuesOf(dts, 'KindValues'), { ...Kind });
  assert.deepEqual(valuesOf(dts, 'OutcomeValues'), { ...Outcome });
  assert.deepEqual(valuesOf(dts, 'ReasonValues'), { ...Reason });
  assert.deepEqual(valuesOf(dts, 'StreamKindValues'), { ...StreamKind });
});

test('web/lab/core/vocabulary.d.ts types each record of sessionModeTraits with the core\'s fields, keyed by SessionMode', () => {
  const dts = readFileSync(builtDts, 'utf8');
  const body = dts.match(/export interface SessionModeTraits \{\n([\s\S]*?)\n\}/);
  assert.ok(body, 'the d.ts declares interface SessionModeTraits');
  const fields = [...body[1].matchAll(/^ {2}readonly ([A-Za-z_]+): /gm)].map((x) => x[1]).sort();
  for (const traits of Object.values(vocabulary.sessionModeTraits)) assert.deepEqual(fields, Object.keys(traits).sort());
  assert.match(dts, /readonly sessionModeTraits: \{ readonly \[name in SessionMode\]: SessionModeTraits \};/);
  assert.deepEqual(Object.keys(vocabulary.sessionModeTraits), [...vocabulary.sessionModes]);
});

test('vocabularyDts puts a name the core adds, and a table it adds, into the types with no other edit', () => {
  const grown = { ...vocabulary, policies: [...vocabulary.policies, 'least_time'],
                  sessionModes: [...vocabulary.sessionModes, 'sealed_cookie'], retryModes: ['never', 'once'] };
  const dts = vocabularyDts(grown);
  assert.deepEqual(unionOf(dts, 'Policy'), grown.policies);
  assert.deepEqual(unionOf(dts, 'SessionMode'), grown.sessionModes);
  assert.deepEqual(tupleOf(dts, 'policies'), grown.policies);
  assert.equal(typeNameOf('retryModes'), 'RetryModeName');
  assert.deepEqual(unionOf(dts, 'RetryModeName'), ['never', 'once']);
  assert.deepEqual(tupleOf(dts, 'retryModes'), ['never', 'once']);
  assert.throws(() => vocabularyDts({ ...vocabulary, policies: ["x' | 'y"] }), /lower-case names/);
});

test('stateless-lab.d.ts and element.d.ts take every name from the generated declarations', () => {
  const dts = readFileSync(join(root, 'web/lab/stateless-lab.d.ts'), 'utf8');
  assert.match(dts, /^export \* from '\.\/core\/vocabulary\.js';$/m, 'the API re-exports the generated types');
  assert.match(dts, /\} from '\.\/core\/vocabulary\.js';/);
  for (const type of Object.keys(vocabulary).map(typeNameOf)) {
    assert.doesNotMatch(dts, new RegExp(`export type ${type}\\b`), `${type} is not declared by hand`);
  }
  assert.doesNotMatch(dts, /export interface Vocabulary\b/);
  assert.match(dts, /export declare const ACTIONS: Vocabulary\['actions'\];/);
  for (const [constant, type] of [['Kind', 'KindValues'], ['Outcome', 'OutcomeValues'], ['Reason', 'ReasonValues'], ['StreamKind', 'StreamKindValues']]) {
    assert.match(dts, new RegExp(`export declare const ${constant}: ${type};`));
  }
  // Action has one member per ActionName; the fields an action takes are written by name, and
  // only for names the core has (a name it dropped would linger unseen by TypeScript).
  assert.match(dts, /export type Action = \{\n {2}\[N in ActionName\]: \{ do: N; at_s\?: number \}/);
  for (const name of keysOf(dts, 'ActionFields')) assert.ok(vocabulary.actions.includes(name), `ActionFields.${name} is an action`);
  assert.ok(keysOf(dts, 'ActionFields').includes('rolling_restart'));
  assert.match(dts, /export type PipelineStep = \{\n {2}\[O in StreamOperator\]: \{ op: O \}/);
  for (const name of keysOf(dts, 'StreamOperatorFields')) assert.ok(vocabulary.streamOperators.includes(name), `StreamOperatorFields.${name} is an operator`);
  const element = readFileSync(join(root, 'web/widget/element.d.ts'), 'utf8');
  assert.match(element, /policy: Policy \| null; mode: SessionMode \| null;/);
});

// The rule for "a module keeps its own list": a run of two or more string literals written one
// after the other, separated only by a comma, a `|` or white space (line breaks included), every
// one of them a name of the same table, and together at least half of that table. That is how
// an array, a Set or a union copies a vocabulary, and such a copy goes stale when the core adds
// a name (as every list of actions here once missed rolling_restart). Not counted, because they
// are behaviour or other words rather than copies: a name compared or switched on
// (`case 'kill_server':`), a default, a short subset a module names for a rule of its own (the
// policies that split traffic at random, in lesson/theory.mjs), a list mixing in other words
// (trace column names such as 'key', 'value'; series names such as 'misses', 'failed'), a
// table of words keyed by name (narration's modeWords, which falls back to the name itself for
// one it lacks), and whole-line comments. The generated web/lab/core/ is where the names belong.
const LIST_RUN = /'[a-z_]+'(?:\s*[,|]\s*'[a-z_]+')+|"[a-z_]+"(?:\s*[,|]\s*"[a-z_]+")+/g;

/** Copies of a vocabulary table in JavaScript text: [{table, names, line}]. */
function copiesIn(text) {
  const code = text.split('\n').map((l) => (/^\s*(\/\/|\/\*|\*)/.test(l) ? '' : l)).join('\n');
  const found = [];
  for (const m of code.matchAll(LIST_RUN)) {
    const names = [...m[0].matchAll(/['"]([a-z_]+)['"]/g)].map((x) => x[1]);
    for (const [table, list] of lists()) {
      const inTable = new Set(names);
      if (names.every((n) => list.includes(n)) && inTable.size * 2 >= list.length) {
        found.push({ table, names: [...inTable], line: code.slice(0, m.index).split('\n').length });
      }
    }
  }
  return found;
}

test('copiesIn finds a copied list, across lines too, and leaves comparisons and short subsets alone', () => {
  assert.deepEqual(copiesIn("const m = ['none', 'server_memory',\n  'shared_store', 'token'];").map((c) => c.table), ['sessionModes']);
  assert.equal(copiesIn("type P = 'random' | 'round_robin' | 'least_connections' | 'power_of_two';").length, 1);
  assert.equal(copiesIn("case 'kill_server': case 'restart_server': break;").length, 0);
  assert.equal(copiesIn("if (a === 'store_down' || a === 'store_up') x();").length, 0);
  assert.equal(copiesIn("['random', 'ip_hash', 'consistent_hash'].includes(p)").length, 0);
  assert.equal(copiesIn("const f = ['kind', 'worker', 'key', 'value'];").length, 0);
  assert.equal(copiesIn("/// mode ('none'|'exactly_once'|'at_least_once')").length, 0);
  assert.deepEqual(copiesIn("[...actionNames, 'kill_worker', 'restart_worker']").map((c) => c.table), ['streamActions']);
});

test('Modules and declarations under web/ keep no list of the core\'s names of their own', () => {
  const files = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) { if (p !== join(root, 'web/lab/core')) walk(p); }
      else if (/\.(mjs|d\.ts|d\.mts)$/.test(e.name)) files.push(p);
    }
  };
  walk(join(root, 'web'));
  assert.ok(files.length > 20, 'the scan sees the modules');
  const copies = files.flatMap((f) => copiesIn(readFileSync(f, 'utf8'))
    .map((c) => `${relative(root, f)}:${c.line}: ${c.table} (${c.names.join(', ')})`));
  assert.deepEqual(copies, []);
});

test('Modules under web/ compare no name that is only a session mode: what differs by mode is the core\'s sessionModeTraits', () => {
  // 'none' is also a checkpoint mode, which the stream views compare; the other names are the
  // cluster's alone.
  const only = vocabulary.sessionModes.filter((m) => !vocabulary.checkpointModes.includes(m));
  // A mode (mode, view.mode, mode(s), run.sessionMode ...) compared with one of those names, or a case of one.
  const names = only.join('|');
  const compared = new RegExp(`mode\\w*(\\([^)]*\\))?\\s*[!=]==\\s*'(${names})'|'(${names})'\\s*[!=]==\\s*\\w*\\.?mode|case '(${names})'`, 'i');
  const found = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) { if (p !== join(root, 'web/lab/core')) walk(p); }
      else if (e.name.endsWith('.mjs')) {
        readFileSync(p, 'utf8').split('\n').forEach((line, i) => {
          if (compared.test(line)) found.push(`${relative(root, p)}:${i + 1}: ${line.trim()}`);
        });
      }
    }
  };
  walk(join(root, 'web'));
  assert.ok(compared.test("if (view.mode === 'server_memory')"), 'the pattern sees a comparison');
  assert.ok(compared.test("mode(s) !== 'token' ? 1 : 2"));
  assert.ok(compared.test("x = run.sessionMode === 'token';"));
  assert.ok(!compared.test("traits.credential === 'token'"), 'a credential is not a mode');
  assert.deepEqual(found, []);
});
