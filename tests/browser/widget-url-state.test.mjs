// The widget's pure modules (no browser): URL state, compare summary, flight tracking.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  readState, formatQuery, parseActions, parseCompare, parseSeed, parseSpeed, parseControls, parseScenarioRef,
} from '../../web/widget/url-state.mjs';
import { compareRows, compareSentence } from '../../web/widget/compare-summary.mjs';
import { FlightTracker, Kind, Node } from '../../web/widget/flights.mjs';

test('formatQuery then readState gives back every field of the state', () => {
  const state = {
    scenario: 'sticky-crash', compare: 'shared_store round_robin', seed: 9007199254740991, speed: 0.25, time: 12.000123,
    actions: [
      { at_s: 1.5, do: 'kill_server', server: 2 }, { at_s: 2, do: 'remove_server', server: 1, drain: false },
      { at_s: 3, do: 'set_policy', policy: 'ip_hash' }, { at_s: 3, do: 'store_down' }, { at_s: 4.25, do: 'set_rate', rate: 12.5 },
      { at_s: 5, do: 'revoke_user', user: 42 }, { at_s: 6, do: 'set_session_mode', mode: 'token' }, { at_s: 7, do: 'add_server' },
    ],
  };
  const params = new URLSearchParams(formatQuery(state));
  const { state: back, errors } = readState((f) => params.get(f));
  assert.deepEqual(errors, []);
  assert.equal(back.scenario.text, state.scenario);
  assert.equal(back.compare.text, state.compare);
  assert.equal(back.seed, state.seed);
  assert.equal(back.speed, state.speed);
  assert.equal(back.time, state.time);
  assert.deepEqual(back.actions, state.actions);
});

test('formatQuery leaves commas and colons of the action list readable', () => {
  const q = formatQuery({ scenario: 'x', actions: [{ at_s: 1, do: 'kill_server', server: 0 }, { at_s: 2, do: 'store_up' }] });
  assert.match(q, /actions=1:kill_server:0,2:store_up$/);
});

test('parseActions names the item and what is wrong with it', () => {
  const r = parseActions('1:kill_server:1,2:explode');
  assert.match(r.error, /item 2/);
  assert.match(r.error, /unknown action "explode"/);
  assert.match(parseActions('1:kill_server:x').error, /needs a server number/);
  assert.match(parseActions('5:store_down,1:store_up').error, /time order/);
  assert.match(parseActions('1:set_policy:fastest').error, /set_policy needs one of/);
  assert.match(parseActions('1:add_server:3').error, /more parts/);
});

test('parseSeed, parseSpeed and parseControls refuse values outside their ranges', () => {
  assert.ok(parseSeed('-1').error);
  assert.ok(parseSeed('9007199254740992').error);
  assert.equal(parseSeed('0').value, 0);
  assert.ok(parseSpeed('fast').error);
  assert.ok(parseSpeed('0').error);
  assert.ok(parseSpeed('1000').error);
  assert.equal(parseSpeed('2x').value, 2);
  assert.ok(parseControls('playback knobs').error);
  assert.deepEqual([...parseControls('none').value], []);
  assert.ok(parseControls(null).value.has('charts'));
});

test('parseCompare tells architecture tokens from scenario names and URLs', () => {
  assert.deepEqual(parseCompare('shared_store').value, { kind: 'variant', mode: 'shared_store', policy: undefined, text: 'shared_store' });
  assert.equal(parseCompare('token, consistent_hash').value.policy, 'consistent_hash');
  assert.equal(parseCompare('shared-store').value.kind, 'scenario');
  assert.equal(parseCompare('/lessons/x/scenarios/a.json').value.ref.kind, 'url');
  assert.match(parseCompare('shared_stor').error, /unknown architecture/);
  assert.match(parseCompare('token shared_store').error, /at most one session mode/);
});

test('parseScenarioRef refuses script URLs and accepts names, URLs and inline JSON', () => {
  assert.ok(parseScenarioRef('javascript:alert(1)').error);
  assert.ok(parseScenarioRef('').error);
  assert.equal(parseScenarioRef('sticky-crash').value.kind, 'name');
  assert.equal(parseScenarioRef('a.json').value.kind, 'url');
  assert.equal(parseScenarioRef('{"seed": 1}').value.kind, 'inline');
});

test('compareRows marks the better run and compareSentence names the biggest count difference', () => {
  const a = { requests: { completed: 100, failed: 5, rejected: 0, denied: 0 }, sessions: { misses: 40, lost: 10 }, latency_ms: { p50: 10, p99: 50 } };
  const b = { requests: { completed: 110, failed: 1, rejected: 0, denied: 0 }, sessions: { misses: 0, lost: 0 }, latency_ms: { p50: 11, p99: 49 } };
  const rows = compareRows(a, b);
  const misses = rows.find((r) => r.key === 'misses');
  assert.equal(misses.diff, -40);
  assert.equal(misses.better, 'b');
  assert.equal(rows.find((r) => r.key === 'p50').better, 'a');
  assert.equal(rows.find((r) => r.key === 'completed').better, 'b');
  assert.match(compareSentence(rows, 'A', 'B'), /^B had 40 fewer session misses/);
});

function trace(events) {
  const n = events.length;
  const t = { count: n, dropped: 0, request: new Uint32Array(n), user: new Int32Array(n), from: new Int32Array(n), to: new Int32Array(n),
    kind: new Uint8Array(n), outcome: new Uint8Array(n), flags: new Uint8Array(n), detail: new Int32Array(n), t0: new Float64Array(n), t1: new Float64Array(n) };
  events.forEach((e, i) => { for (const [k, v] of Object.entries(e)) t[k][i] = v; });
  return t;
}

test('FlightTracker stretches short hops to the floor and plays a request\'s hops in order', () => {
  const ft = new FlightTracker();
  ft.ingest(trace([
    { request: 1, user: 5, from: Node.USERS, to: Node.BALANCER, kind: Kind.ARRIVE, t0: 1, t1: 1 },
    { request: 1, user: 5, from: Node.BALANCER, to: 2, kind: Kind.DISPATCH, t0: 1, t1: 1.001 },
  ]), 0.5);
  const seen = [];
  const at = (t) => { seen.length = 0; ft.forEach(t, (f, s, p) => seen.push([s.kind, Math.round(p * 100) / 100])); return seen.slice(); };
  assert.deepEqual(at(1.25), [[Kind.ARRIVE, 0.5]]);
  assert.deepEqual(at(1.75), [[Kind.DISPATCH, 0.5]]);
  assert.deepEqual(at(2.5), [[Kind.DISPATCH, 1]]);  // parked at the server: no further hop known
  ft.ingest(trace([{ request: 1, user: 5, from: 2, to: Node.BALANCER, kind: Kind.FAILED, t0: 3, t1: 3 }]), 0.5);
  assert.deepEqual(at(3.25), [[Kind.FAILED, 0.5]]);
  assert.deepEqual(at(4), []);  // a terminal hop ends the request
});

test('FlightTracker follows fewer requests when more than its cap are in flight', () => {
  const ft = new FlightTracker({ cap: 100 });
  const events = [];
  for (let i = 0; i < 400; ++i) events.push({ request: i, user: i, from: Node.USERS, to: Node.BALANCER, kind: Kind.ARRIVE, t0: 0, t1: 0 });
  ft.ingest(trace(events), 10);
  assert.ok(ft.size <= 200, `follows ${ft.size}`);
  assert.ok(ft.stride > 1);
  const later = [];
  for (let i = 400; i < 800; ++i) later.push({ request: i, user: i, from: Node.USERS, to: Node.BALANCER, kind: Kind.ARRIVE, t0: 0, t1: 0 });
  ft.ingest(trace(later), 10);
  assert.ok(ft.skipped > 0);
});
