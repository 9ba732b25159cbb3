// The JS API (web/lab/stateless-lab.mjs) on the WebAssembly build, in node.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { ACTIONS, Flag, Kind, LabError, Node, Outcome, Reason, loadLab } from '../../web/lab/stateless-lab.mjs';
import { root, runNative } from './support.mjs';

const lab = await loadLab();

/** A small cluster where every session mode and action has something to act on. */
function scenario(overrides = {}) {
  return {
    seed: 11, duration_s: 20, warmup_s: 1,
    traffic: { users: 200, rate_per_s: 300, user_skew: 0.5 },
    balancer: { policy: 'sticky_cookie' },
    servers: { count: 4, workers: 2, service_ms: { dist: 'exponential', mean: 10 } },
    session: { mode: 'server_memory' },
    network: { hop_ms: 1 },
    ...overrides,
  };
}

/** Counts trace events over a whole run, stepping in frames like the widget does. */
function traceTotals(sim, dt) {
  const totals = { events: 0, arrive: 0, done: 0, rejected: 0, failed: 0, denied: 0, actions: [] };
  let before = sim.now;
  while (!sim.finished) {
    sim.step(dt);
    const t = sim.trace();
    assert.equal(t.dropped, 0);
    for (let i = 0; i < t.count; ++i) {
      assert.ok(t.t0[i] >= before - 1e-9 && t.t0[i] <= sim.now + 1e-9, 'event leaves within its step');
      assert.ok(t.t1[i] >= t.t0[i], 'event arrives after it leaves');
      switch (t.kind[i]) {
        case Kind.ARRIVE: ++totals.arrive; break;
        case Kind.DONE: ++totals.done; break;
        case Kind.REJECTED: ++totals.rejected; break;
        case Kind.FAILED: t.outcome[i] === Outcome.DENIED ? ++totals.denied : ++totals.failed; break;
        case Kind.ACTION: totals.actions.push([ACTIONS[t.detail[i]], t.to[i], t.t0[i]]); break;
        default: break;
      }
    }
    totals.events += t.count;
    before = sim.now;
  }
  return totals;
}

test('loadLab returns the same Lab on every call', async () => {
  assert.equal(await loadLab(), lab);
});

test('lab.scenarios lists the names and titles that the native `stateless-lab list` prints', () => {
  const native = runNative(['list']).stdout.toString().trim().split('\n').map((l) => l.split('\t'));
  const list = lab.scenarios();
  assert.ok(list.length >= 6);
  assert.deepEqual(list.map((s) => [s.name, s.title]), native);
  for (const s of list) assert.ok(s.description.length > 0, `${s.name} has a description`);
});

test('lab.scenarioText returns each registered scenario as the native `show` prints it', () => {
  for (const { name } of lab.scenarios()) {
    const text = lab.scenarioText(name);
    assert.equal(text + '\n', runNative(['show', name]).stdout.toString());
    assert.deepEqual(lab.validate(text), { ok: true });
  }
});

test('lab.scenarioText throws LabError for a name that is not registered', () => {
  assert.throws(() => lab.scenarioText('no-such-scenario'),
                (e) => e instanceof LabError && e.path === 'name' && e.got === '"no-such-scenario"');
});

test('lab.create runs a registered scenario to the results of the native CLI', () => {
  const name = 'sticky-crash';
  const sim = lab.create(lab.scenarioText(name));
  try {
    sim.run();
    assert.ok(sim.finished);
    assert.deepEqual(sim.results(), JSON.parse(runNative(['run', '--builtin', name]).stdout));
  } finally {
    sim.delete();
  }
});

test('lab.create accepts an object as well as JSON text, with the same results', () => {
  const a = lab.create(scenario());
  const b = lab.create(JSON.stringify(scenario()));
  a.runUntil(5);
  b.runUntil(5);
  assert.deepEqual(a.results(), b.results());
  a.delete();
  b.delete();
});

test('Simulation getters report the scenario: end, policy, sessionMode, rate, kind', () => {
  const sim = lab.create(scenario({ balancer: { policy: 'ip_hash' }, session: { mode: 'token' } }));
  assert.equal(sim.kind, 'cluster');
  assert.equal(sim.now, 0);
  assert.equal(sim.end, 20);
  assert.equal(sim.finished, false);
  assert.equal(sim.policy, 'ip_hash');
  assert.equal(sim.sessionMode, 'token');
  assert.equal(sim.rate, 300);
  sim.delete();
});

test('Simulation.step advances now by dt and stops at the end', () => {
  const sim = lab.create(scenario({ duration_s: 1, warmup_s: 0 }));
  sim.step(0.25);
  assert.equal(sim.now, 0.25);
  sim.step(0.5);
  assert.equal(sim.now, 0.75);
  sim.step(0);
  sim.step(-3);
  assert.equal(sim.now, 0.75);
  sim.step(10);
  assert.equal(sim.now, 1);
  assert.ok(sim.finished);
  sim.step(Infinity);
  assert.equal(sim.now, 1);
  assert.throws(() => sim.step(NaN), TypeError);
  assert.throws(() => sim.step('1'), TypeError);
  sim.delete();
});

test('Simulation.runUntil goes to a time and never backwards', () => {
  const sim = lab.create(scenario());
  sim.runUntil(3.5);
  assert.equal(sim.now, 3.5);
  sim.runUntil(2);
  assert.equal(sim.now, 3.5);
  sim.runUntil(1e12);
  assert.equal(sim.now, sim.end);
  sim.delete();
});

test('Simulation.trace accounts for every request of a run in typed arrays', () => {
  const sim = lab.create(scenario({
    timeline: [{ at_s: 8, do: 'kill_server', server: 2 }, { at_s: 12, do: 'restart_server', server: 2 }],
  }), { trace: true, traceLimit: 1 << 20 });
  const totals = traceTotals(sim, 1 / 60);
  const r = sim.results();
  assert.ok(r.requests.arrived > 4000);
  assert.equal(totals.arrive, r.requests.arrived);
  assert.equal(totals.done, r.requests.completed);
  assert.equal(totals.rejected, r.requests.rejected);
  assert.equal(totals.failed, r.requests.failed);
  assert.equal(totals.denied, r.requests.denied);
  assert.deepEqual(totals.actions, [['kill_server', 2, 8], ['restart_server', 2, 12]]);
  sim.delete();
});

test('Simulation.trace returns typed arrays of the documented types and equal lengths', () => {
  const sim = lab.create(scenario(), { trace: true });
  sim.step(0.5);
  const t = sim.trace();
  const types = {
    request: Uint32Array, user: Int32Array, from: Int32Array, to: Int32Array, kind: Uint8Array,
    outcome: Uint8Array, flags: Uint8Array, detail: Int32Array, t0: Float64Array, t1: Float64Array,
  };
  assert.ok(t.count > 50);
  for (const [field, type] of Object.entries(types)) {
    assert.ok(t[field] instanceof type, `${field} is a ${type.name}`);
    assert.equal(t[field].length, t.count, `${field} has count entries`);
  }
  // Every dispatch goes from the balancer to a server that exists, and arrivals come from users.
  for (let i = 0; i < t.count; ++i) {
    if (t.kind[i] === Kind.DISPATCH) {
      assert.equal(t.from[i], Node.BALANCER);
      assert.ok(t.to[i] >= 0 && t.to[i] < 4);
    }
    if (t.kind[i] === Kind.ARRIVE) assert.equal(t.from[i], Node.USERS);
    // warmup_s is 1: nothing in the first half second is warm.
    assert.equal(t.flags[i] & Flag.WARM, 0);
  }
  sim.delete();
});

test('Simulation.trace returns copies that the next step does not change', () => {
  const sim = lab.create(scenario(), { trace: true });
  sim.step(0.2);
  const first = sim.trace();
  const saved = Array.from(first.t0);
  sim.step(0.2);
  const second = sim.trace();
  assert.deepEqual(Array.from(first.t0), saved);
  assert.notEqual(first.t0.buffer, second.t0.buffer);
  assert.ok(second.t0[0] >= 0.2);
  sim.delete();
});

test('Simulation.trace keeps at most traceLimit events per step and counts the rest as dropped', () => {
  const whole = lab.create(scenario(), { trace: true, traceLimit: 1 << 20 });
  const capped = lab.create(scenario(), { trace: true, traceLimit: 10 });
  whole.step(1);
  capped.step(1);
  const all = whole.trace();
  const some = capped.trace();
  assert.ok(all.count > 10);
  assert.equal(some.count, 10);
  assert.equal(some.dropped, all.count - 10);
  assert.deepEqual(Array.from(some.request), Array.from(all.request.subarray(0, 10)));
  whole.delete();
  capped.delete();
});

test('Simulation.trace is empty when the simulation was created without trace', () => {
  const sim = lab.create(scenario());
  sim.step(1);
  const t = sim.trace();
  assert.equal(t.count, 0);
  assert.equal(t.kind.length, 0);
  sim.delete();
});

test('Simulation.servers and store report live state that agrees with the results', () => {
  const sim = lab.create(scenario({ session: { mode: 'shared_store' }, balancer: { policy: 'round_robin' } }));
  sim.runUntil(5);
  const servers = sim.servers();
  assert.deepEqual(servers.map((s) => s.id), [0, 1, 2, 3]);
  const r = sim.results();
  for (const s of servers) {
    assert.deepEqual(Object.keys(s).sort(),
                     ['alive', 'busy', 'draining', 'handled', 'id', 'inRotation', 'queued', 'sessions']);
    assert.equal(s.alive, true);
    assert.equal(s.inRotation, true);
    assert.ok(s.busy >= 0 && s.busy <= 2);
    assert.equal(s.handled, r.servers[s.id].handled);
  }
  const store = sim.store();
  assert.equal(store.up, true);
  assert.equal(store.lookups, r.store.lookups);
  assert.ok(store.lookups > 0);
  assert.ok(store.sessions > 0);
  sim.delete();
});

test('Simulation.apply kill_server takes the server down and logs its users out', () => {
  const sim = lab.create(scenario(), { trace: true });
  sim.runUntil(5);
  const before = sim.results();
  assert.deepEqual(sim.apply({ do: 'kill_server', server: 1 }), { ok: true });
  const t = sim.trace();
  const i = Array.from(t.kind).lastIndexOf(Kind.ACTION);
  assert.ok(i >= 0, 'the action shows in the trace');
  assert.equal(ACTIONS[t.detail[i]], 'kill_server');
  assert.equal(t.to[i], 1);
  const s1 = sim.servers()[1];
  assert.equal(s1.alive, false);
  assert.equal(s1.inRotation, false);
  assert.equal(s1.sessions, 0);
  sim.runUntil(10);
  const after = sim.results();
  assert.ok(after.sessions.lost > before.sessions.lost, 'its sessions are lost');
  assert.ok(after.sessions.misses > before.sessions.misses, 'its users land elsewhere without a session');
  assert.equal(sim.servers()[1].handled, s1.handled, 'a dead server handles nothing');
  sim.delete();
});

test('Simulation.apply restart_server, add_server and remove_server change the pool', () => {
  const sim = lab.create(scenario({ balancer: { policy: 'round_robin' }, session: { mode: 'none' } }));
  sim.runUntil(2);
  assert.ok(sim.apply({ do: 'kill_server', server: 0 }).ok);
  assert.ok(sim.apply({ do: 'restart_server', server: 0 }).ok);
  sim.runUntil(3);
  assert.equal(sim.servers()[0].alive, true);
  assert.ok(sim.apply({ do: 'add_server' }).ok);
  sim.runUntil(4);
  const added = sim.servers();
  assert.equal(added.length, 5);
  assert.ok(added[4].handled > 0, 'the new server takes traffic');
  assert.ok(sim.apply({ do: 'remove_server', server: 3, drain: true }).ok);
  sim.runUntil(6);
  const s3 = sim.servers()[3];
  assert.equal(s3.inRotation, false);
  const handled = s3.handled;
  sim.runUntil(8);
  assert.equal(sim.servers()[3].handled, handled, 'a removed server takes no new requests');
  sim.delete();
});

test('Simulation.apply store_down fails shared_store requests until store_up', () => {
  const sim = lab.create(scenario({ session: { mode: 'shared_store' }, balancer: { policy: 'round_robin' } }));
  sim.runUntil(3);
  const failedBefore = sim.results().requests.failed;
  assert.ok(sim.apply({ do: 'store_down' }).ok);
  assert.equal(sim.store().up, false);
  sim.runUntil(4);
  const failedDown = sim.results().requests.failed;
  assert.ok(failedDown > failedBefore + 100, 'requests fail while the store is down');
  assert.ok(sim.apply({ do: 'store_up' }).ok);
  assert.equal(sim.store().up, true);
  sim.runUntil(4.5);  // let requests that met the outage finish failing
  const settled = sim.results().requests.failed;
  sim.runUntil(6);
  assert.equal(sim.results().requests.failed, settled, 'no more failures once the store is back');
  sim.delete();
});

test('Simulation.apply revoke_user denies the user at once in a session mode', () => {
  const sim = lab.create(scenario({ traffic: { users: 5, rate_per_s: 200 } }));
  sim.runUntil(2);
  assert.equal(sim.results().requests.denied, 0);
  assert.ok(sim.apply({ do: 'revoke_user', user: 0 }).ok);
  sim.runUntil(4);
  assert.ok(sim.results().requests.denied > 0);
  sim.delete();
});

test('Simulation.apply set_rate, set_policy and set_session_mode switch without a reset', () => {
  const sim = lab.create(scenario());
  sim.runUntil(4);
  const arrived = sim.results().requests.arrived;
  assert.ok(sim.apply({ do: 'set_rate', rate: 30 }).ok);
  assert.ok(sim.apply({ do: 'set_policy', policy: 'least_connections' }).ok);
  assert.ok(sim.apply({ do: 'set_session_mode', mode: 'token' }).ok);
  assert.equal(sim.rate, 30);
  assert.equal(sim.policy, 'least_connections');
  assert.equal(sim.sessionMode, 'token');
  assert.equal(sim.now, 4, 'time goes on from where it was');
  sim.runUntil(14);
  const added = sim.results().requests.arrived - arrived;
  // 10 s at 30/s: Poisson, so 300 +- a generous 6 sigma.
  assert.ok(Math.abs(added - 300) < 6 * Math.sqrt(300), `arrivals at the new rate (${added})`);
  sim.delete();
});

test('Simulation.apply accepts JSON text and at_s, and refuses bad actions without changing anything', () => {
  const sim = lab.create(scenario());
  sim.runUntil(1);
  assert.deepEqual(sim.apply('{"do": "set_rate", "rate": 50}'), { ok: true });
  const bad = [
    [{ do: 'kill_server', server: 4 }, '$.server'],
    [{ do: 'kill_server' }, '$'],
    [{ do: 'explode' }, '$.do'],
    [{ do: 'set_policy', policy: 'fastest' }, '$.policy'],
    [{ do: 'set_rate', rate: -1 }, '$.rate'],
    [{ do: 'revoke_user', user: 200 }, '$.user'],
    ['{"do": ', '$'],
    [[1, 2], '$'],
    [42, '$'],
    [null, '$'],
  ];
  for (const [action, path] of bad) {
    const r = sim.apply(action);
    assert.equal(r.ok, false, JSON.stringify(action));
    assert.equal(r.path, path, JSON.stringify(action));
    assert.equal(typeof r.message, 'string');
    assert.equal(r.text, `${r.path}: ${r.message}${r.got ? ` (got ${r.got})` : ''}`);
  }
  assert.equal(sim.rate, 50);
  assert.equal(sim.policy, 'sticky_cookie');
  assert.ok(sim.servers().every((s) => s.alive));
  sim.delete();
});

test('Simulation.seek back and forward again reproduces an uninterrupted run exactly', () => {
  const straight = lab.create(scenario(), { trace: true });
  straight.runUntil(9);
  const want = straight.results();
  const sim = lab.create(scenario(), { trace: true });
  sim.runUntil(9);
  sim.seek(3.25);
  assert.equal(sim.now, 3.25);
  assert.ok(sim.results().requests.arrived < want.requests.arrived);
  assert.equal(sim.trace().count, 0, 'a seek leaves no trace to animate');
  sim.runUntil(9);
  assert.deepEqual(sim.results(), want);
  straight.delete();
  sim.delete();
});

test('Simulation.seek keeps live actions before the target time and forgets later ones', () => {
  const withKill = lab.create(scenario());
  withKill.runUntil(4);
  withKill.apply({ do: 'kill_server', server: 0 });
  withKill.runUntil(10);
  const killed = withKill.results();

  const clean = lab.create(scenario());
  clean.runUntil(10);
  const untouched = clean.results();
  assert.notDeepEqual(killed, untouched);

  const sim = lab.create(scenario());
  sim.runUntil(4);
  sim.apply({ do: 'kill_server', server: 0 });
  sim.runUntil(10);
  sim.seek(6);
  assert.equal(sim.servers()[0].alive, false, 'the kill at 4 s is replayed');
  sim.runUntil(10);
  assert.deepEqual(sim.results(), killed);
  sim.seek(2);
  assert.equal(sim.servers()[0].alive, true, 'the kill at 4 s is forgotten');
  sim.runUntil(10);
  assert.deepEqual(sim.results(), untouched);
  for (const s of [withKill, clean, sim]) s.delete();
});

test('Simulation.seek clamps its target to the run', () => {
  const sim = lab.create(scenario());
  sim.runUntil(5);
  sim.seek(-2);
  assert.equal(sim.now, 0);
  sim.seek(1e9);
  assert.equal(sim.now, sim.end);
  assert.throws(() => sim.seek(NaN), TypeError);
  sim.delete();
});

test('Simulation.results and series agree on the per-interval counts', () => {
  const sim = lab.create(scenario());
  sim.run();
  const r = sim.results();
  const s = sim.series();
  assert.deepEqual(s, r.series);
  assert.equal(s.t_s.length, 20);
  assert.equal(s.arrived.reduce((a, b) => a + b, 0), r.requests.arrived);
  sim.delete();
});

test('Simulation.delete frees the core object and leaves the wrapper unusable', () => {
  const before = lab.liveObjects();
  const sim = lab.create(scenario());
  assert.equal(lab.liveObjects().simulations, before.simulations + 1);
  sim.delete();
  assert.equal(sim.deleted, true);
  assert.deepEqual(lab.liveObjects(), before);
  sim.delete();  // twice is fine
  assert.throws(() => sim.step(1), /deleted/);
  assert.throws(() => sim.now, /deleted/);
});

test('lab.create leaves no core object behind when the scenario is invalid', () => {
  const before = lab.liveObjects();
  assert.throws(() => lab.create({ servers: { count: 0 } }), LabError);
  assert.deepEqual(lab.liveObjects(), before);
});

test('lab.create and delete 1,000 times leak no embind handles, objects or memory', () => {
  const text = JSON.stringify(scenario({ duration_s: 2 }));
  const cycle = () => {
    const sim = lab.create(text, { trace: true });
    sim.step(0.05);
    sim.trace();
    sim.servers();
    sim.store();
    sim.apply({ do: 'add_server' });
    sim.results();
    sim.delete();
    try { lab.create('{"seed": -1}'); } catch { /* the failure path must free too */ }
  };
  for (let i = 0; i < 50; ++i) cycle();  // let the heap reach its working size
  const before = lab.liveObjects();
  const memory = lab.memory();
  for (let i = 0; i < 1000; ++i) cycle();
  assert.deepEqual(lab.liveObjects(), before);
  assert.equal(before.simulations, 0);
  assert.equal(lab.memory().heapInUse, memory.heapInUse, 'every allocation was freed');
  assert.equal(lab.memory().memoryBytes, memory.memoryBytes, 'WebAssembly memory did not grow');
});

test('lab.validate returns ok for valid scenarios and the error as a value otherwise', () => {
  assert.deepEqual(lab.validate(scenario()), { ok: true });
  assert.deepEqual(lab.validate({}), { ok: true });
  const r = lab.validate({ servers: { count: 0 } });
  assert.deepEqual(r, {
    ok: false, path: '$.servers.count', message: r.message, got: '0',
    text: `$.servers.count: ${r.message} (got 0)`,
  });
  assert.equal(lab.validate(undefined).ok, false);
  assert.equal(lab.validate(12).path, '$');
});

test('LabError carries path, message, got and the CLI text', () => {
  try {
    lab.create({ seed: 1.5 });
    assert.fail('expected a LabError');
  } catch (e) {
    assert.ok(e instanceof LabError);
    assert.ok(e instanceof Error);
    assert.equal(e.name, 'LabError');
    assert.equal(e.path, '$.seed');
    assert.equal(e.got, '1.5');
    assert.equal(e.text, `$.seed: ${e.message} (got 1.5)`);
    assert.equal(String(e), `LabError: ${e.text}`);
  }
});

test('Trace constants match the contract', () => {
  assert.deepEqual(Node, { USERS: -1, BALANCER: -2, STORE: -3 });
  assert.deepEqual(Kind, { DISPATCH: 0, TO_STORE: 1, FROM_STORE: 2, RESPOND: 3, DONE: 4, REJECTED: 5,
                           FAILED: 6, ACTION: 7, ARRIVE: 8 });
  assert.deepEqual(Outcome, { OK: 0, MISS: 1, FAILED: 2, REJECTED: 3, DENIED: 4 });
  assert.equal(Flag.TOKEN, 1);
  assert.equal(Flag.REVOKED, 2);
  assert.equal(Reason.SERVER_DIED, 3);
  // The contract's actions (DESIGN.md), in the order of the core's ActionKind.
  assert.deepEqual(ACTIONS, ['kill_server', 'restart_server', 'add_server', 'remove_server', 'store_down', 'store_up',
    'revoke_user', 'set_rate', 'set_policy', 'set_session_mode', 'rolling_restart']);
});

test('Simulation.apply add_server answers with the server it started, a dead server\'s slot before a new one', () => {
  const sim = lab.create(scenario());
  sim.runUntil(2);
  assert.deepEqual(sim.apply({ do: 'kill_server', server: 1 }), { ok: true });
  const revived = sim.apply({ do: 'add_server' });
  assert.equal(revived.ok, true);
  assert.equal(revived.server, 1, 'the dead slot comes back');
  assert.equal(sim.servers()[1].alive, true);
  assert.equal(sim.servers().length, 4, 'the pool did not grow');
  const grown = sim.apply({ do: 'add_server' });
  assert.equal(grown.server, 4, 'with no dead slot the pool grows');
  assert.equal(sim.servers().length, 5);
  assert.deepEqual(sim.apply({ do: 'store_down' }), { ok: true }, 'other actions answer without a server');
  sim.delete();
});

test('loadLab with wasmBinary loads a separate instance that works the same', async () => {
  const other = await loadLab({ wasmBinary: readFileSync(join(root, 'web/lab/core/stateless-lab-core.wasm')) });
  assert.notEqual(other, lab);
  const a = other.create(scenario());
  const b = lab.create(scenario());
  a.runUntil(3);
  b.runUntil(3);
  assert.deepEqual(a.results(), b.results());
  a.delete();
  b.delete();
  assert.equal(other.liveObjects().simulations, 0);
});

test('Lab.theory.usesStore and Simulation.usesStore say what a run does: store lookups happen exactly when they are true', () => {
  for (const mode of lab.vocabulary.sessionModes) {
    for (const denyList of [false, true]) {
      const s = { ...scenario(), duration_s: 5, session: { mode }, token: { deny_list: denyList } };
      const sim = lab.create(s);
      sim.runUntil(5);
      const looked = sim.results().store.lookups > 0;
      assert.equal(lab.theory.usesStore(s), looked, `${mode}, deny list ${denyList}`);
      assert.equal(sim.usesStore, looked, `${mode}, deny list ${denyList}`);
      sim.delete();
    }
  }
  // The live mode decides: switching to shared_store starts using the store at once.
  const sim = lab.create({ ...scenario(), session: { mode: 'server_memory' } });
  assert.equal(sim.usesStore, false);
  assert.deepEqual(sim.apply({ do: 'set_session_mode', mode: 'shared_store' }), { ok: true });
  assert.equal(sim.usesStore, true);
  sim.delete();
  assert.equal(lab.theory.usesStore({ servers: { count: 0 } }), false, 'an invalid scenario');
});

test('lab.normalize fills every default the README documents and keeps the fields given', () => {
  const out = lab.normalize({ servers: { count: 3 }, timeline: [{ at_s: 5, do: 'kill_server', server: 2 }] });
  // Defaults from the README's scenario table.
  assert.equal(out.seed, 1);
  assert.equal(out.duration_s, 60);
  assert.equal(out.warmup_s, 0);
  assert.equal(out.series_interval_s, 1);
  assert.deepEqual(out.traffic, { users: 1000, rate_per_s: 100, user_skew: 0 });
  assert.equal(out.balancer.policy, 'round_robin');
  assert.equal(out.servers.workers, 1);
  assert.equal(out.servers.queue_limit, 1000);
  assert.deepEqual(out.servers.service_ms, { dist: 'exponential', mean: 10 });
  assert.equal(out.servers.startup_s, 0);
  assert.equal(out.session.mode, 'none');
  assert.equal(out.network.hop_ms, 0);
  // What was given stays.
  assert.equal(out.servers.count, 3);
  assert.deepEqual(out.timeline, [{ at_s: 5, do: 'kill_server', server: 2 }]);
});

test('lab.normalize keeps name, title and description and fills a stream scenario too', () => {
  const given = { name: 'n', title: 'T', description: 'D', seed: 4, duration_s: 30,
                  traffic: { users: 50, rate_per_s: 40 } };
  const out = lab.normalize(JSON.stringify(given));
  for (const key of ['name', 'title', 'description', 'seed', 'duration_s']) assert.equal(out[key], given[key]);
  const stream = lab.normalize(lab.scenarioText('stream-stateless-crash'));
  assert.equal(stream.kind, 'stream');
  assert.equal(stream.name, 'stream-stateless-crash');
  assert.ok(Array.isArray(stream.pipeline) && stream.pipeline.length > 0);
});

test('lab.normalize gives back control characters in a title, which the core writes as \\u escapes', () => {
  // Every character below U+0020 goes through the module's own snprintf ("\\u%04x").
  const title = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('') + 'end';
  assert.equal(lab.normalize(JSON.stringify({ title })).title, title);
});

test('lab.normalize of a normalized scenario gives it back unchanged, in both models', () => {
  for (const input of [scenario({ timeline: [{ at_s: 3, do: 'revoke_user', user: 7 }] }),
                       lab.scenarioText('shared-store'), lab.scenarioText('stream-stateless-crash')]) {
    const once = lab.normalize(input);
    assert.deepEqual(lab.normalize(once), once);
  }
});

test('lab.normalize gives a scenario that runs to the same results as the original', () => {
  for (const input of [scenario(), lab.scenarioText('sticky-crash'), lab.scenarioText('stream-stateless-crash')]) {
    const results = (s) => {
      const sim = lab.create(s);
      try {
        sim.run();
        return sim.results();
      } finally {
        sim.delete();
      }
    };
    assert.deepEqual(results(lab.normalize(input)), results(input));
  }
});

test('lab.normalize throws LabError naming the field of an invalid scenario', () => {
  assert.throws(() => lab.normalize(scenario({ servers: { count: 0 } })),
    (e) => e instanceof LabError && e.path === '$.servers.count' && e.got === '0' && /at least 1/.test(e.message));
  assert.throws(() => lab.normalize('{"seed": 1,'), (e) => e instanceof LabError && e.path === '$');
  assert.throws(() => lab.normalize(undefined), (e) => e instanceof LabError && e.path === '$');
});

test('lab.normalize reads numbers and writes names exactly as JSON.parse and JSON.stringify do', () => {
  // Numbers that need every digit (or more than a double holds) to round right, and a name with
  // control and non-ASCII characters that the core must escape on the way out.
  const text = '{"duration_s": 20.000000000000004, "warmup_s": 0.1000000000000000055511151231257827,' +
    ' "traffic": {"rate_per_s": 123.45678901234567890123, "user_skew": 2.2250738585072014e-308},' +
    ' "servers": {"service_ms": {"dist": "lognormal", "mean": 9.999999999999999e2, "sigma": 1e-7}},' +
    ' "name": "a\\u0001b\\u001f\\t\\u00e9\\ud83d\\ude00"}';
  const given = JSON.parse(text);
  const out = lab.normalize(text);
  assert.equal(out.duration_s, given.duration_s);
  assert.equal(out.warmup_s, given.warmup_s);
  assert.equal(out.traffic.rate_per_s, given.traffic.rate_per_s);
  assert.equal(out.traffic.user_skew, given.traffic.user_skew);
  assert.equal(out.servers.service_ms.mean, given.servers.service_ms.mean);
  assert.equal(out.servers.service_ms.sigma, given.servers.service_ms.sigma);
  assert.equal(out.name, given.name);
});

test('Lab.theory.normalize gives what lab.normalize gives, and null where lab.normalize throws', () => {
  for (const s of [{ servers: { count: 3 } }, { kind: 'stream', partitions: 4 }, JSON.parse(lab.scenarioText('sticky-crash'))]) {
    assert.deepEqual(lab.theory.normalize(s), lab.normalize(s));
  }
  assert.throws(() => lab.normalize({ servers: { count: 0 } }), LabError);
  assert.equal(lab.theory.normalize({ servers: { count: 0 } }), null);
  assert.equal(lab.theory.normalize(undefined), null);
});
