// Cross-build determinism: the native CLI and the WebAssembly CLI (`npx stateless-lab`, i.e.
// web/lab/cli.mjs) print byte-identical results for every registered scenario and for random
// valid scenarios from a seeded generator.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { VOCABULARY } from '../../web/lab/stateless-lab.mjs';
import { runNative, runNode, seededRandom, tempDir } from './support.mjs';

const dir = tempDir();

/** Asserts two CLI runs printed the same bytes and exit code; shows the first difference. */
function assertSameRun(native, node, what) {
  assert.equal(node.code, native.code, `${what}: exit code`);
  if (!node.stdout.equals(native.stdout)) {
    const a = native.stdout.toString().split('\n');
    const b = node.stdout.toString().split('\n');
    const i = a.findIndex((line, k) => line !== b[k]);
    assert.fail(`${what}: stdout differs at line ${i + 1}:\n native: ${a[i]}\n node:   ${b[i]}`);
  }
  assert.ok(node.stderr.equals(native.stderr), `${what}: stderr\n native: ${native.stderr}\n node:   ${node.stderr}`);
}

// Every name the core has, so that a name it adds is compared across builds at once.
const POLICIES = VOCABULARY.policies;
const MODES = VOCABULARY.sessionModes;

/** A random valid scenario exercising every part of the model; small enough to run fast. */
function randomScenario(rng, index) {
  const round = (x, digits) => Number(x.toFixed(digits));
  const dist = (mean) => {
    const kind = rng.pick(['exponential', 'constant', 'lognormal']);
    const d = { dist: kind, mean: round(mean, 3) };
    if (kind === 'lognormal') d.sigma = round(0.1 + rng.next() * 1.4, 2);
    return d;
  };
  const duration = rng.int(3, 20);
  const servers = rng.int(1, 8);
  const workers = rng.int(1, 4);
  const serviceMs = 1 + rng.next() * 30;
  const users = rng.int(1, 3000);
  // Load between 0.2 and 1.3 of capacity: some runs queue up and reject.
  const rate = round(servers * workers * (1000 / serviceMs) * (0.2 + rng.next() * 1.1), 2);
  const s = {
    name: `random-${index}`,
    seed: rng.chance(0.2) ? Number.MAX_SAFE_INTEGER - rng.int(0, 1000) : rng.int(0, 1e6),
    duration_s: duration,
    warmup_s: round(rng.next() * duration * 0.3, 3),
    series_interval_s: rng.pick([0.5, 1, 2]),
    traffic: { users, rate_per_s: rate, user_skew: round(rng.next() * 1.5, 2) },
    balancer: { policy: rng.pick(POLICIES) },
    servers: {
      count: servers, workers, queue_limit: rng.pick([0, 5, 50, 1000]),
      service_ms: dist(serviceMs), startup_s: round(rng.next() * 2, 2),
    },
    session: { mode: rng.pick(MODES), cookie_bytes: rng.int(0, 64), data_bytes: rng.int(0, 4096) },
    network: { hop_ms: round(rng.next() * 3, 3), request_bytes: rng.int(100, 2000) },
  };
  if (rng.chance(0.6)) {
    s.store = {
      latency_ms: round(rng.next() * 2, 3), workers: rng.int(1, 8), queue_limit: rng.pick([2, 100, 10000]),
      service_ms: dist(0.05 + rng.next() * 0.5), persistent: rng.chance(0.5),
    };
  }
  if (rng.chance(0.6)) {
    s.token = {
      verify_ms: round(rng.next(), 3), bytes: rng.int(100, 1200),
      ttl_s: round(0.5 + rng.next() * duration, 2), deny_list: rng.chance(0.5),
    };
  }
  if (rng.chance(0.3)) {
    const min = rng.int(1, 3);
    s.autoscaler = {
      enabled: true, target_utilization: round(0.3 + rng.next() * 0.6, 2), min, max: min + rng.int(0, 6),
      interval_s: round(0.5 + rng.next() * 3, 2), cooldown_s: round(rng.next() * 5, 2),
    };
  }
  // A timeline over every action kind, naming only servers and users that exist at that time.
  // Every action the core knows: one that needs a field not given here makes the scenario
  // invalid, which the test reports.
  const timeline = [];
  let count = servers;
  const times = Array.from({ length: rng.int(0, 8) }, () => round(rng.next() * duration, 3)).sort((a, b) => a - b);
  for (const at_s of times) {
    const kind = rng.pick(VOCABULARY.actions);
    const a = { at_s, do: kind };
    if (kind === 'kill_server' || kind === 'restart_server') a.server = rng.int(0, count - 1);
    if (kind === 'remove_server') { a.server = rng.int(0, count - 1); a.drain = rng.chance(0.5); }
    if (kind === 'add_server') ++count;
    if (kind === 'revoke_user') a.user = rng.int(0, users - 1);
    if (kind === 'set_rate') a.rate = round(rate * (0.2 + rng.next() * 1.5), 2);
    if (kind === 'set_policy') a.policy = rng.pick(POLICIES);
    if (kind === 'set_session_mode') a.mode = rng.pick(MODES);
    if (kind === 'rolling_restart' && rng.chance(0.5)) a.gap_s = round(0.5 + rng.next() * 5, 2);
    timeline.push(a);
  }
  if (timeline.length) s.timeline = timeline;
  return s;
}

/** A random valid stream scenario: pipeline, checkpoints, crashes and restarts. */
function randomStreamScenario(rng, index) {
  const round = (x, digits) => Number(x.toFixed(digits));
  const duration = rng.int(3, 20);
  const workers = rng.int(1, 6);
  const pipeline = [];
  let stateful = 0;
  for (let k = rng.int(0, 5); k > 0; --k) {
    const op = rng.pick(['filter', 'map', 'route', 'window_count', 'window_sum']);
    if (op === 'filter') pipeline.push({ op, field: rng.pick(['value', 'key']), min: rng.int(0, 40) });
    if (op === 'map') pipeline.push({ op, scale: round(rng.next() * 4 - 1, 2) });
    if (op === 'route') pipeline.push({ op, outputs: rng.int(1, 8), by: rng.pick(['value', 'key']) });
    if ((op === 'window_count' || op === 'window_sum') && stateful < 4) {
      ++stateful;
      pipeline.push({ op, window_s: round(0.5 + rng.next() * 4, 2) });
    }
  }
  const s = {
    kind: 'stream', name: `random-stream-${index}`, seed: rng.int(0, 1e9), duration_s: duration,
    series_interval_s: rng.pick([0.5, 1]),
    source: { rate_per_s: round(10 + rng.next() * 800, 1), keys: rng.int(1, 200),
              key_skew: round(rng.next() * 1.5, 2), value_max: rng.int(0, 100) },
    partitions: rng.int(1, 16), workers,
    processing: { event_ms: { dist: rng.pick(['constant', 'exponential', 'lognormal']), mean: round(0.1 + rng.next() * 3, 2) },
                  failover_s: round(rng.next() * 3, 2) },
    pipeline,
    checkpoint: { mode: rng.pick(['none', 'exactly_once', 'at_least_once']), interval_s: round(0.5 + rng.next() * 4, 2),
                  pause_ms: round(rng.next() * 5, 2), entry_us: round(rng.next() * 2, 2) },
  };
  // Crashes and restarts that are legal at their time: kill only a live worker, restart a dead one.
  const alive = new Array(workers).fill(true);
  const timeline = [];
  const times = Array.from({ length: rng.int(0, 5) }, () => round(rng.next() * duration, 3)).sort((a, b) => a - b);
  for (const at_s of times) {
    const w = rng.int(0, workers - 1);
    timeline.push({ at_s, do: alive[w] ? 'kill_worker' : 'restart_worker', worker: w });
    alive[w] = !alive[w];
  }
  if (timeline.length) s.timeline = timeline;
  return s;
}

test('stateless-lab (node) prints the native bytes for every registered scenario', () => {
  const names = runNative(['list']).stdout.toString().trim().split('\n').map((l) => l.split('\t')[0]);
  assert.ok(names.length >= 6);
  for (const name of names) {
    const native = runNative(['run', '--builtin', name]);
    assert.equal(native.code, 0, `${name}: ${native.stderr}`);
    const r = JSON.parse(native.stdout);
    assert.ok((r.kind === 'stream' ? r.events.in : r.requests.arrived) > 0, `${name} simulates traffic`);
    assertSameRun(native, runNode(['run', '--builtin', name]), name);
  }
});

test('stateless-lab (node) prints the native bytes for 24 random valid scenarios', () => {
  const rng = seededRandom(20261128);
  let busy = 0;
  for (let i = 0; i < 24; ++i) {
    const file = join(dir, `random-${i}.json`);
    writeFileSync(file, JSON.stringify(randomScenario(rng, i), null, 1));
    const args = i % 4 === 3 ? ['run', file, '--seed', String(rng.int(0, 1e9))] : ['run', file];
    const native = runNative(args);
    assert.equal(native.code, 0, `random-${i} is valid: ${native.stderr}`);
    const r = JSON.parse(native.stdout);
    if (r.requests.arrived > 100 && r.requests.completed > 0) ++busy;
    assertSameRun(native, runNode(args), `random-${i}`);
  }
  assert.ok(busy >= 20, `most random scenarios simulate real traffic (${busy} of 24)`);
});

test('stateless-lab (node) prints the native bytes for 12 random valid stream scenarios', () => {
  const rng = seededRandom(7022026);
  let busy = 0;
  for (let i = 0; i < 12; ++i) {
    const file = join(dir, `random-stream-${i}.json`);
    writeFileSync(file, JSON.stringify(randomStreamScenario(rng, i)));
    const args = i % 3 === 2 ? ['run', file, '--seed', String(rng.int(0, 1e9))] : ['run', file];
    const native = runNative(args);
    assert.equal(native.code, 0, `random-stream-${i} is valid: ${native.stderr}`);
    if (JSON.parse(native.stdout).events.processed > 50) ++busy;
    assertSameRun(native, runNode(args), `random-stream-${i}`);
  }
  assert.ok(busy >= 10, `most random stream scenarios process events (${busy} of 12)`);
});
