// The theory shown next to the simulations: the core's formulas (lab.theory, wasm/theory.h)
// against the worked values the lessons quote (computed independently), scaling laws, remap
// shares, and the tolerance check. The C++ tests hold the published tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { theoryRows, agrees, theoryKinds } from '../../web/lesson/theory.mjs';
import { loadLab, VOCABULARY } from '../../web/lab/stateless-lab.mjs';

const lab = await loadLab();
const core = lab.theory;
const close = (a, b, tol, what) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

test('lab.theory.mmc reproduces the worked M/M/c table of the Horizontal Scaling lesson', () => {
  // [λ, μ, c, P_wait, Wq (s), W (s)], rounded as the lesson prints them.
  const table = [
    [8, 10, 1, 0.800, 0.400, 0.500],
    [30, 12, 3, 0.7022, 0.1170, 0.2004],
    [800, 100, 10, 0.4092, 0.0020, 0.0120],
    [800, 100, 9, 0.6533, 0.0065, 0.0165],
  ];
  for (const [l, mu, c, p, wq, w] of table) {
    const q = core.mmc(l, mu, c);
    close(q.pWait, p, 5e-5, `P_wait(${l},${mu},${c})`);
    close(q.waitS, wq, 5e-5, `Wq(${l},${mu},${c})`);
    close(q.responseS, w, 5e-5, `W(${l},${mu},${c})`);
  }
});

test('lab.theory.mmc with one server is M/M/1 and refuses an unstable queue or bad input with null', () => {
  const q = core.mmc(80, 100, 1);
  close(q.responseS, 1 / (100 - 80), 1e-12, 'M/M/1 W');
  close(q.pWait, 0.8, 1e-12, 'M/M/1 P_wait = ρ');
  assert.equal(core.mmc(100, 100, 1), null);
  assert.equal(core.mmc(1000, 100, 9), null);
  assert.equal(core.mmc('80', 100, 1), null);
  assert.equal(core.mmc(80, 100, 1.5), null);
  assert.equal(core.erlangC(5, 5), null);
  assert.ok(core.mmc(25000, 100, 256).responseS > 0.01, 'large c stays finite');
  close(core.responseQuantile(8, 10, 1, 0.99), Math.log(100) / 2, 1e-9, 'M/M/1 p99 = ln(100)/(μ − λ)');
});

test('lab.theory shows pooling: ten shared servers wait far less than ten pinned queues', () => {
  close(core.mmc(800, 100, 10).responseS, 0.012, 5e-5, 'pooled');
  close(core.mmc(80, 100, 1).responseS, 0.05, 1e-12, 'pinned');
});

test('lab.theory amdahl and usl match the worked values the lessons quote', () => {
  close(core.amdahl(0.95, 10), 6.90, 0.005, 'S(10)');
  close(core.amdahl(0.95, 100), 16.81, 0.005, 'S(100)');
  close(core.amdahl(0.95, 1e12), 20, 1e-6, 'S(∞)');
  close(core.uslPeak(0.05, 0.001), 30.8, 0.05, 'N*');
  close(core.usl(31, 0.05, 0.001), 9.04, 0.005, 'C(31)');
  close(core.usl(64, 0.05, 0.001), 7.82, 0.005, 'C(64)');
  close(core.usl(10, 0.05, 0), 1 / (0.05 + 0.95 / 10), 1e-12, 'β = 0 is Amdahl');
});

test('lab.theory remap shares: modulo moves n/(n+1) of keys, consistent hashing 1/(n+1)', () => {
  assert.equal(core.moduloRemapShare(4), 0.8);
  assert.equal(core.consistentRemapShare(4), 0.2);
  // Check the modulo claim by counting keys directly.
  let moved = 0;
  for (let k = 0; k < 100000; ++k) if (k % 10 !== k % 11) moved += 1;
  close(moved / 100000, core.moduloRemapShare(10), 0.001, 'mod 10 -> mod 11');
});

test('lab.theory.streamCrash counts the keys of the crashed worker with the model\'s own hash', () => {
  const scenario = { kind: 'stream', source: { rate_per_s: 300, keys: 36 }, partitions: 6, workers: 3,
    checkpoint: { mode: 'none', interval_s: 4 }, timeline: [{ at_s: 27.5, do: 'kill_worker', worker: 0 }] };
  const crash = core.streamCrash(scenario);
  assert.equal(crash.partitionsOwned, 2);
  assert.equal(crash.lastCommitS, 24);
  // The run itself reports which partitions worker 0 owned and what it lost.
  const sim = lab.create({ ...scenario, pipeline: [{ op: 'window_count', window_s: 10 }] });
  try {
    sim.run();
    assert.equal(sim.results().windows.lost, crash.keysOwned);
  } finally {
    sim.delete();
  }
  assert.equal(core.streamCrash({ kind: 'stream' }), null, 'no crash, no expectation');
  assert.equal(core.streamCrash('{"kind": "stream", "workers": -1}'), null, 'invalid scenario');
});

test('theoryRows gives the M/M/1 prediction only for a scenario that is an M/M/c queue', () => {
  const results = { latency_ms: { mean: 52 } };
  const mm = { traffic: { rate_per_s: 320 }, balancer: { policy: 'random' }, servers: { count: 4, service_ms: { dist: 'exponential', mean: 10 } } };
  const [r] = theoryRows('mmc', [{ label: 'A', scenario: mm, results }], core);
  close(r.theory, 50, 1e-9, 'W ms');
  assert.ok(agrees(r));
  const sticky = { ...mm, session: { mode: 'server_memory' } };
  const [s] = theoryRows('mmc', [{ label: 'B', scenario: sticky, results }], core);
  assert.equal(s.theory, null);
  assert.match(s.note, /not an M\/M\/c queue/);
});

test('agrees applies absolute, relative and equality tolerances, and passes contrast rows', () => {
  assert.ok(agrees({ theory: 0.75, simulated: 0.73, tolerance: { abs: 0.05 } }));
  assert.ok(!agrees({ theory: 0.75, simulated: 0.6, tolerance: { abs: 0.05 } }));
  assert.ok(agrees({ theory: 50, simulated: 53, tolerance: { rel: 0.1 } }));
  assert.ok(!agrees({ theory: 50, simulated: 60, tolerance: { rel: 0.1 } }));
  assert.ok(agrees({ theory: 'ab', simulated: 'ab', tolerance: { equal: true } }));
  assert.ok(!agrees({ theory: 'ab', simulated: 'ac', tolerance: { equal: true } }));
  assert.ok(!agrees({ theory: null, simulated: 3, tolerance: { abs: 1 } }));
  assert.ok(agrees({ theory: 0.13, simulated: 0.0004, tolerance: null }));
});

test('theoryKinds names every kind the lesson page can show', () => {
  for (const k of ['little', 'mmc', 'round_robin_miss', 'sticky_loss', 'remap', 'same_output']) assert.ok(theoryKinds.includes(k), k);
  assert.deepEqual(theoryRows('no_such_kind', [], core), []);
  assert.throws(() => theoryRows('mmc', [], undefined), /lab\.theory/);
});

test('theoryRows credential_bytes shows lab.theory.credentialBytes, which a run of every session mode matches, labelled by the mode\'s credential', () => {
  for (const mode of VOCABULARY.sessionModes) {
    const scenario = { seed: 2, duration_s: 5, traffic: { users: 20, rate_per_s: 40 }, session: { mode, cookie_bytes: 41 }, token: { bytes: 733 } };
    const sim = lab.create(scenario);
    sim.run();
    const results = sim.results();
    sim.delete();
    const [r] = theoryRows('credential_bytes', [{ label: mode, scenario, results }], core);
    assert.equal(r.theory, core.credentialBytes(scenario), mode);
    assert.ok(agrees(r), `${mode}: ${r.theory} vs ${r.simulated}`);
    const token = VOCABULARY.sessionModeTraits[mode].credential === 'token';
    assert.equal(r.label, token ? 'Token size, sent with every request' : 'Session ID cookie size', mode);
    assert.equal(r.theory, token ? 733 : VOCABULARY.sessionModeTraits[mode].credential === 'cookie' ? 41 : 0, mode);
  }
  assert.equal(core.credentialBytes('{"servers": {"count": -1}}'), null, 'invalid scenario');
});

test('theoryRows fair_share_after_add expects a fair share of exactly the policies the core does not list as sticky', () => {
  const results = { servers: [{ handled: 70 }, { handled: 70 }, { handled: 10 }], requests: { completed: 150 } };
  for (const policy of VOCABULARY.policies) {
    const scenario = { duration_s: 60, servers: { count: 2 }, balancer: { policy }, timeline: [{ at_s: 30, do: 'add_server' }] };
    const [r] = theoryRows('fair_share_after_add', [{ label: policy, scenario, results }], core);
    const sticky = VOCABULARY.stickyPolicies.includes(policy);
    assert.equal(r.tolerance === null, sticky, policy);
    assert.equal(r.note, sticky ? 'pinned users never move to the new server' : undefined, policy);
  }
});
