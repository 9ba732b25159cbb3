// The analytic theory of the core (wasm/theory.h) with JS names: queueing (M/M/c, Erlang B
// and C, response-time quantiles, Little's law), scaling laws (Amdahl, USL), hash remap shares
// and the expectations of the lessons' experiments. Get it as `lab.theory`; every function is
// synchronous and returns null where the core has no answer (an unstable queue, invalid input).
//
//   const lab = await loadLab();
//   lab.theory.mmc(800, 100, 10).responseS   // 0.0120: mean time in system, seconds

/** A finite number, or null for the core's NaN. */
const orNull = (x) => (typeof x === 'number' && Number.isFinite(x) ? x : null);
/** A number for the core; anything else becomes NaN there, never a thrown TypeError. */
const n = (x) => (typeof x === 'number' ? x : typeof x === 'boolean' ? Number(x) : NaN);

/** Text of a scenario for the core: a string as is, an object as JSON, else null. */
function text(scenario) {
  if (typeof scenario === 'string') return scenario;
  if (scenario && typeof scenario === 'object') {
    try { return JSON.stringify(scenario); } catch { return null; }
  }
  return null;
}

/**
 * The theory functions over one core module; `call(fn)` runs fn(module) under the Lab's guard.
 * @param {(fn: (module: object) => any) => any} call
 */
export function theoryApi(call) {
  const num = (name) => (...args) => orNull(call((m) => m[name](...args.map(n))));
  return Object.freeze({
    /** M/M/c steady state: {utilization, pWait, waitS, responseS, inQueue, inSystem}, or null if ρ ≥ 1. */
    mmc: (arrivalPerS, servicePerS, servers) => call((m) => m.theoryQueue(n(arrivalPerS), n(servicePerS), n(servers))),
    /** Erlang B blocking probability of `offered` erlangs on `servers` servers. */
    erlangB: num('theoryErlangB'),
    /** Erlang C: probability that an arrival waits (M/M/c). */
    erlangC: num('theoryErlangC'),
    /** The q-quantile of M/M/c response time, seconds (q = 0.99: p99). */
    responseQuantile: num('theoryResponseQuantile'),
    /** Little's law L = λW. */
    little: num('theoryLittle'),
    /** Amdahl speed-up of n servers with `parallelShare` of the work parallel. */
    amdahl: num('theoryAmdahl'),
    /** USL capacity of n servers relative to one (alpha contention, beta coherency). */
    usl: num('theoryUsl'),
    /** Where USL capacity peaks, servers (Infinity when beta = 0 is returned as null). */
    uslPeak: num('theoryUslPeak'),
    /** Share of users moved from n to n + 1 servers by hash mod n: n/(n + 1). */
    moduloRemapShare: num('theoryModuloRemapShare'),
    /** The same under consistent hashing: 1/(n + 1). */
    consistentRemapShare: num('theoryConsistentRemapShare'),
    /** Share of requests missing their session under round robin over n servers: (n − 1)/n. */
    roundRobinMissShare: num('theoryRoundRobinMissShare'),
    /** Share of users logged out when `killed` of `servers` session-holding servers crash. */
    crashLossShare: num('theoryCrashLossShare'),
    /** Share of a revoked user's requests still accepted (ttlS, durationS, revokedAtS, denyList). */
    revokedAcceptedShare: num('theoryRevokedAcceptedShare'),
    /** Servers to hold a target utilization: ceil(rate × work / workers / target). */
    serversNeeded: num('theoryServersNeeded'),
    /** Fair share of all requests for a server added at addedAtS to `servers` others. */
    fairShareAfterAdd: num('theoryFairShareAfterAdd'),
    /**
     * Whether each server of a cluster scenario is an M/M/c queue (exponential service, no
     * sessions, no timeline, no autoscaler, a Poisson split: one server, random or hashed).
     */
    mmcApplies: (scenario) => {
      const t = text(scenario);
      return t !== null && call((m) => m.theoryMmcApplies(t)) === true;
    },
    /**
     * The scenario with every default filled in, as lab.normalize gives it, or null if it does
     * not validate: theory code reads settings from it without repeating the defaults.
     */
    normalize: (scenario) => {
      const t = text(scenario);
      if (t === null) return null;
      const out = JSON.parse(call((m) => m.normalizeScenario(t)));
      return out.scenario ?? null;
    },
    /**
     * Whether requests of a cluster scenario go to the session store (the core's rule:
     * shared_store, or token with a deny list); false if the scenario is invalid.
     */
    usesStore: (scenario) => {
      const t = text(scenario);
      return t !== null && call((m) => m.scenarioUsesStore(t)) === true;
    },
    /**
     * Credential bytes every request of a cluster scenario carries: the token, the session ID
     * cookie or none, by its session mode (null if it does not validate).
     */
    credentialBytes: (scenario) => {
      const t = text(scenario);
      return t === null ? null : orNull(call((m) => m.theoryCredentialBytes(t)));
    },
    /** Seconds the store is down in a cluster scenario's timeline (null if it does not validate). */
    storeOutageSeconds: (scenario) => {
      const t = text(scenario);
      return t === null ? null : orNull(call((m) => m.theoryStoreOutageSeconds(t)));
    },
    /**
     * The first worker crash of a stream scenario: {worker, atS, partitionsOwned, partitions,
     * keysOwned, keys, keyShare, lastCommitS, ratePerS, replayed}, or null (no crash, invalid).
     */
    streamCrash: (scenario) => {
      const t = text(scenario);
      return t === null ? null : call((m) => m.theoryStreamCrash(t));
    },
  });
}
