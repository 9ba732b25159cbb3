// The theory shown next to the simulations: queueing formulas against the worked values the
// lessons quote (computed independently), scaling laws, remap shares, and the tolerance check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  erlangC, amdahl, usl, uslPeak, moduloRemapShare, consistentRemapShare, theoryRows, agrees, theoryKinds,
} from '../../web/lesson/theory.mjs';

const close = (a, b, tol, what) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

test('erlangC reproduces the worked M/M/c table of the Horizontal Scaling lesson', () => {
  // [λ, μ, c, P_wait, Wq (s), W (s)], rounded as the lesson prints them.
  const table = [
    [8, 10, 1, 0.800, 0.400, 0.500],
    [30, 12, 3, 0.7022, 0.1170, 0.2004],
    [800, 100, 10, 0.4092, 0.0020, 0.0120],
    [800, 100, 9, 0.6533, 0.0065, 0.0165],
  ];
  for (const [l, mu, c, p, wq, w] of table) {
    const q = erlangC(l, mu, c);
    close(q.pWait, p, 5e-5, `P_wait(${l},${mu},${c})`);
    close(q.wq, wq, 5e-5, `Wq(${l},${mu},${c})`);
    close(q.w, w, 5e-5, `W(${l},${mu},${c})`);
  }
});

test('erlangC with one server is M/M/1 and refuses an unstable queue', () => {
  const q = erlangC(80, 100, 1);
  close(q.w, 1 / (100 - 80), 1e-12, 'M/M/1 W');
  close(q.pWait, 0.8, 1e-12, 'M/M/1 P_wait = ρ');
  assert.equal(erlangC(100, 100, 1), null);
  assert.equal(erlangC(1000, 100, 9), null);
  assert.ok(erlangC(25000, 100, 256).w > 0.01, 'large c stays finite');
});

test('erlangC shows pooling: ten shared servers wait far less than ten pinned queues', () => {
  close(erlangC(800, 100, 10).w, 0.012, 5e-5, 'pooled');
  close(erlangC(80, 100, 1).w, 0.05, 1e-12, 'pinned');
});

test('amdahl and usl match the worked values the lessons quote', () => {
  close(amdahl(0.95, 10), 6.90, 0.005, 'S(10)');
  close(amdahl(0.95, 100), 16.81, 0.005, 'S(100)');
  close(amdahl(0.95, 1e12), 20, 1e-6, 'S(∞)');
  close(uslPeak(0.05, 0.001), 30.8, 0.05, 'N*');
  close(usl(31, 0.05, 0.001), 9.04, 0.005, 'C(31)');
  close(usl(64, 0.05, 0.001), 7.82, 0.005, 'C(64)');
  close(usl(10, 0.05, 0), 1 / (0.05 + 0.95 / 10), 1e-12, 'β = 0 is Amdahl');
});

test('Remap shares: modulo moves n/(n+1) of keys, consistent hashing 1/(n+1)', () => {
  assert.equal(moduloRemapShare(4), 0.8);
  assert.equal(consistentRemapShare(4), 0.2);
  // Check the modulo claim by counting keys directly.
  let moved = 0;
  for (let k = 0; k < 100000; ++k) if (k % 10 !== k % 11) moved += 1;
  close(moved / 100000, moduloRemapShare(10), 0.001, 'mod 10 -> mod 11');
});

test('theoryRows gives the M/M/1 prediction only for a scenario that is an M/M/c queue', () => {
  const results = { latency_ms: { mean: 52 } };
  const mm = { traffic: { rate_per_s: 320 }, balancer: { policy: 'random' }, servers: { count: 4, service_ms: { dist: 'exponential', mean: 10 } } };
  const [r] = theoryRows('mmc', [{ label: 'A', scenario: mm, results }]);
  close(r.theory, 50, 1e-9, 'W ms');
  assert.ok(agrees(r));
  const sticky = { ...mm, session: { mode: 'server_memory' } };
  const [s] = theoryRows('mmc', [{ label: 'B', scenario: sticky, results }]);
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
  assert.deepEqual(theoryRows('no_such_kind', []), []);
});
