// Theory shown next to simulated numbers in the lessons: which formula of the core applies to
// an experiment, what it predicts, and how close the simulation must come. The formulas
// themselves (queueing, scaling laws, remap shares, revocation windows, stream replay) are the
// core's (wasm/theory.h, `lab.theory`): every row takes the core's theory object and only picks
// the inputs, labels and tolerance. Shared by the lesson page and the content tests (which check
// that theory and simulation agree where a lesson says so). What differs by session mode or
// balancer policy (where sessions live, what a request carries, which policies pin users) is the
// core's too, read from its vocabulary: a row names a mode or policy only for a formula of its own.

import { VOCABULARY } from '../lab/stateless-lab.mjs';

// ---------------------------------------------------------------------------------------
// Theory rows for experiments. A run is {label, scenario, results}; `core` is lab.theory.
// Each row says what theory predicts and what the run produced; `tolerance` ({abs} or {rel} or {equal}) is how close they
// should be when theory and simulation are expected to agree, null when the row shows a
// contrast (e.g. the fair share a sticky balancer does not give).

// Rows read a run's scenario as the core completed it (lab.theory.normalize): every setting is
// there, so no default is repeated here.
const timeline = (s) => s.timeline;
const mode = (s) => s.session.mode;
/** The core's traits of the scenario's session mode: {where, served, credential, store, inServerMemory}. */
const traits = (s) => VOCABULARY.sessionModeTraits[mode(s)];
/** Requests carry a token the server verifies (verify_ms each). */
const carriesToken = (s) => traits(s).credential === 'token';
const policy = (s) => s.balancer.policy;
const servers = (s) => s.servers.count;
const workers = (s) => s.servers.workers;
const rate = (s) => s.traffic.rate_per_s;
const users = (s) => s.traffic.users;
const duration = (s) => s.duration_s;
const serviceMs = (s) => s.servers.service_ms.mean;
const storeMs = (s) => s.store.service_ms.mean;
const storeLatency = (s) => s.store.latency_ms;
const storeWorkers = (s) => s.store.workers;
const verifyMs = (s) => s.token.verify_ms;

function row(run, label, theory, simulated, format, tolerance, note) {
  return { run: run.label, label, theory, simulated, format, tolerance, note };
}

const kinds = {
  /// L = λW from the run's own arrival rate and mean latency.
  little(run, all, core) {
    const l = run.results?.little;
    if (!l) return [];
    return [row(run, "Little's law: mean requests in system L = λW", core.little(l.arrival_rate_per_s, l.mean_latency_s),
      l.mean_in_system, 'number', { rel: 0.05 })];
  },

  /// Mean latency of an M/M/c queue per server, when the scenario is one.
  mmc(run, all, core) {
    const s = run.scenario;
    const n = servers(s), c = workers(s);
    if (!core.mmcApplies(s)) {
      return [row(run, 'Erlang C mean latency', null, run.results?.latency_ms?.mean, 'ms', null,
        'not an M/M/c queue (needs exponential service, no sessions, no timeline, no autoscaler and a random or hashed split)')];
    }
    const q = core.mmc(rate(s) / n, 1000 / serviceMs(s), c);
    if (!q) return [row(run, 'Erlang C mean latency', null, run.results?.latency_ms?.mean, 'ms', null, 'unstable: utilization ≥ 1')];
    const label = c === 1 ? `M/M/1 mean latency W = 1/(μ − λ), λ = ${rate(s) / n}/s per server`
      : `Erlang C mean latency, M/M/${c} at λ = ${rate(s) / n}/s (P(wait) = ${q.pWait.toFixed(4)})`;
    return [row(run, label, q.responseS * 1000, run.results?.latency_ms?.mean, 'ms', { rel: 0.12 })];
  },

  /// Round robin over n servers holding sessions in memory: (n−1)/n of requests miss.
  round_robin_miss(run, all, core) {
    const s = run.scenario;
    const sim = run.results.sessions.misses / run.results.requests.arrived;
    if (traits(s).inServerMemory && policy(s) === 'round_robin') {
      return [row(run, `Share of requests that miss: (n − 1)/n with n = ${servers(s)}`, core.roundRobinMissShare(servers(s)), sim, 'percent', { abs: 0.05 })];
    }
    return [row(run, 'Share of requests that miss: no session kept on servers', 0, sim, 'percent', { abs: 0.001 })];
  },

  /// Killing one of n servers that hold sessions loses about 1/n of the users' sessions.
  sticky_loss(run, all, core) {
    const s = run.scenario;
    const kills = timeline(s).filter((a) => a.do === 'kill_server').length;
    const sim = run.results.sessions.lost / users(s);
    if (traits(s).inServerMemory) {
      return [row(run, `Users logged out: ${kills} of ${servers(s)} servers' share`, core.crashLossShare(kills, servers(s)), sim, 'percent', { abs: 0.05 })];
    }
    return [row(run, 'Users logged out: sessions are not on the servers', 0, sim, 'percent', { abs: 0.001 })];
  },

  /// Requests that need the store fail while it is down: outage time over run time.
  outage_share(run, all, core) {
    const s = run.scenario;
    const down = core.storeOutageSeconds(s);
    const theory = !core.usesStore(s) ? 0 : down === null ? null : down / duration(s);
    return [row(run, 'Failed share: store outage time / run time', theory,
      run.results.requests.failed / run.results.requests.arrived, 'percent', { abs: 0.03 })];
  },

  /// At light load: service time, plus a round trip to the store and its lookup if any.
  store_round_trip(run, all, core) {
    const s = run.scenario;
    const store = core.usesStore(s) ? 2 * storeLatency(s) + storeMs(s) : 0;
    const label = store ? `Work + 2 × ${storeLatency(s)} ms to the store + ${storeMs(s)} ms lookup` : 'Work only: the session is in memory';
    return [row(run, label, serviceMs(s) + store + (carriesToken(s) ? verifyMs(s) : 0), run.results.latency_ms.mean, 'ms', { rel: 0.05 })];
  },

  /// Store utilization ρ = λ/(cμ) of the store's workers, and its M/M/1 time in system.
  store_utilization(run, all, core) {
    const s = run.scenario;
    if (!core.usesStore(s)) return [];
    const lookupPerS = 1000 / storeMs(s);
    const q = core.mmc(rate(s), lookupPerS, storeWorkers(s));
    const rows = [row(run, 'Store utilization ρ = λ × lookup time / workers', q ? q.utilization : null,
      run.results.store.utilization, 'percent', { abs: 0.05 }, q ? undefined : 'the store is overloaded: ρ ≥ 1 has no steady state')];
    if (storeWorkers(s) === 1 && q) {
      rows.push(row(run, 'Mean latency: work + round trip + time in the store, S / (1 − ρ) for an M/M/1 store',
        serviceMs(s) + 2 * storeLatency(s) + q.responseS * 1000, run.results.latency_ms.mean, 'ms', { rel: 0.1 }));
    }
    return rows;
  },

  /// A server added at t of D seconds would get 1/(n+1) of the traffic for (D − t)/D of the run.
  fair_share_after_add(run, all, core) {
    const s = run.scenario;
    const add = timeline(s).find((a) => a.do === 'add_server');
    if (!add) return [];
    const n = servers(s);
    const handled = run.results.servers[n]?.handled ?? 0;
    const fair = core.fairShareAfterAdd(n, add.at_s, duration(s));
    const sticky = VOCABULARY.stickyPolicies.includes(policy(s));
    return [row(run, `Fair share of the new server: 1/${n + 1} for the last ${duration(s) - add.at_s} s of ${duration(s)} s`,
      fair, handled / run.results.requests.completed, 'percent', sticky ? null : { abs: 0.03 },
      sticky ? 'pinned users never move to the new server' : undefined)];
  },

  /// Bytes of credentials on every request: the token, or the session ID cookie.
  credential_bytes(run, all, core) {
    const s = run.scenario;
    return [row(run, carriesToken(s) ? 'Token size, sent with every request' : 'Session ID cookie size', core.credentialBytes(s),
      run.results.bytes.credentials_per_request, 'bytes', { abs: 0.5 })];
  },

  /// A revoked token keeps working until it expires (issued at the start, refused at refresh).
  revocation_window(run, all, core) {
    const s = run.scenario;
    const rev = timeline(s).find((a) => a.do === 'revoke_user');
    if (!rev || !carriesToken(s)) return [];
    const ttl = s.token.ttl_s;
    const theory = core.revokedAcceptedShare(ttl, duration(s), rev.at_s, s.token?.deny_list === true);
    const a = run.results.auth.revoked_accepted, d = run.results.requests.denied;
    return [row(run, s.token?.deny_list ? 'Revoked user accepted: deny list refuses at once'
      : `Revoked user accepted: until the token expires (${ttl} s) of the ${duration(s) - rev.at_s} s left`,
    // ±5 points: the largest deviation over seeds 1-10 of the lesson's scenario was 3.0.
    theory, a + d ? a / (a + d) : 0, 'percent', { abs: 0.05 })];
  },

  /// Users that move when a server is added: n/(n+1) for modulo, 1/(n+1) for consistent.
  remap(run, all, core) {
    const s = run.scenario;
    const n = servers(s);
    const sim = run.results.sessions.remapped_users / users(s);
    if (policy(s) === 'ip_hash') return [row(run, `hash mod n, ${n} → ${n + 1} servers: n/(n + 1)`, core.moduloRemapShare(n), sim, 'percent', { abs: 0.05 })];
    if (policy(s) === 'consistent_hash') return [row(run, `Consistent hash, ${n} → ${n + 1} servers: 1/(n + 1)`, core.consistentRemapShare(n), sim, 'percent', { abs: 0.05 })];
    return [];
  },

  /// Servers an autoscaler needs after the last rate change: ⌈λ × service time / target⌉.
  servers_needed(run, all, core) {
    const s = run.scenario;
    const rates = timeline(s).filter((a) => a.do === 'set_rate');
    const r = rates.length ? rates[rates.length - 1].rate : rate(s);
    const target = s.autoscaler.target_utilization;
    const work = (serviceMs(s) + (carriesToken(s) ? verifyMs(s) : 0)) / 1000;
    const need = core.serversNeeded(r, work, workers(s), target);
    const series = run.results.series?.servers;
    return [row(run, `Servers needed: ⌈${r}/s × ${(work * 1000).toFixed(1)} ms / ${target}⌉`, need,
      Array.isArray(series) && series.length ? series[series.length - 1] : null, 'number', { abs: 1 })];
  },

  /// A stateless stream pipeline produces the same output with and without a crash.
  same_output(run, all) {
    const other = all.find((r) => r !== run);
    if (!other || run !== all[0]) return [];
    return [{ run: `${run.label} vs ${other.label}`, label: 'Output fingerprint: identical for a stateless pipeline',
      theory: other.results.output?.digest, simulated: run.results.output?.digest, format: 'text', tolerance: { equal: true } }];
  },

  /// Open windows lost in a crash without checkpoints: one per key that hashes to the crashed
  /// worker's partitions (the core counts them with the model's own hash).
  lost_windows(run, all, core) {
    const s = run.scenario;
    const crash = core.streamCrash(s);
    if (!crash) return [];
    const cp = s.checkpoint.mode;
    const theory = cp === 'none' ? crash.keysOwned : 0;
    return [row(run, cp === 'none'
      ? `Windows losing state: the ${crash.keysOwned} of ${crash.keys} keys on worker ${crash.worker}'s ${crash.partitionsOwned} of ${crash.partitions} partitions`
      : 'Windows losing state: checkpoints restore them',
    theory, run.results.windows?.lost, 'number', { abs: 1 })];
  },

  /// Events replayed after a crash, in every mode: the crashed worker's share of the input
  /// since the last commit (positions are committed every interval_s).
  replayed_events(run, all, core) {
    const crash = core.streamCrash(run.scenario);
    if (!crash) return [];
    const since = crash.atS - crash.lastCommitS;
    return [row(run, `Events replayed: ${since.toFixed(1)} s since the last commit × ${crash.ratePerS}/s × ${crash.keysOwned}/${crash.keys} keys`,
      crash.replayed, run.results.events?.replayed, 'number', { rel: 0.15 })];
  },
};

export const theoryKinds = Object.keys(kinds);

/// The theory rows of one kind for the runs of an experiment (runs: [{label, scenario,
/// results}]); `core` is the core's theory (lab.theory), which computes every formula.
export function theoryRows(kind, runs, core) {
  const f = kinds[kind];
  if (!f) return [];
  if (!core || typeof core.mmc !== 'function') throw new TypeError('theoryRows needs the core theory (lab.theory)');
  const complete = runs.map((run) => {
    const scenario = core.normalize(run.scenario);
    if (!scenario) throw new TypeError(`theoryRows: the scenario of run ${run.label} does not validate`);
    return { ...run, scenario };
  });
  return complete.flatMap((run) => f(run, complete, core));
}

/// A row's tolerance in words, in the row's format: "±5 points", "±12%", "exactly".
export function toleranceText(r, fmt) {
  const t = r.tolerance;
  if (!t) return '';
  if (t.equal) return 'exactly';
  if (t.rel !== undefined) return `±${Math.round(t.rel * 100)}%`;
  return r.format === 'percent' ? `±${Math.round(t.abs * 1000) / 10} points` : `±${fmt(t.abs, r.format)}`;
}

/// The verdict of a row in words: "agrees (within ±12%)", "differs by 3 ms (allowed ±1 ms)",
/// or, for a contrast row, its note. fmt(value, format) renders numbers.
export function verdictText(r, fmt) {
  if (!r.tolerance) return r.note ?? '';
  const within = toleranceText(r, fmt);
  if (agrees(r)) return `agrees (within ${within})`;
  if (typeof r.theory !== 'number' || typeof r.simulated !== 'number') return `differs${r.note ? `: ${r.note}` : ''}`;
  const diff = Math.abs(r.theory - r.simulated);
  const by = r.tolerance.rel !== undefined ? `${Math.round((100 * diff) / Math.abs(r.theory))}%`
    : r.format === 'percent' ? `${Math.round(diff * 1000) / 10} points` : fmt(diff, r.format);
  return `differs by ${by} (allowed ${within})${r.note ? `: ${r.note}` : ''}`;
}

/// Whether a row's theory and simulated values agree within its tolerance (true when it has none).
export function agrees(r) {
  const t = r.tolerance;
  if (!t) return true;
  if (t.equal) return r.theory === r.simulated;
  if (typeof r.theory !== 'number' || typeof r.simulated !== 'number') return false;
  const diff = Math.abs(r.theory - r.simulated);
  if (t.abs !== undefined) return diff <= t.abs;
  return diff <= t.rel * Math.abs(r.theory);
}
