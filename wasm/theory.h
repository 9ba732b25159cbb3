#pragma once
// The analytic theory the lessons put next to the simulation: queueing (M/M/c with Erlang C,
// M/M/1 as its c = 1 case, Little's law), scaling laws (Amdahl, USL), how many keys a hash
// moves when a server joins, and the simple expectations of the guided experiments (misses
// under round robin, sessions lost in a crash, how long a revoked token keeps working, what a
// stream worker replays after a crash).
//
// Pure functions of numbers, or of a parsed scenario for the expectations that depend on the
// model's own rules (which partitions a worker owns, which keys hash to them, when positions
// are committed). Invalid input (a negative rate, a fractional server count, NaN) gives NaN
// rather than an error: callers show "no formula" for it, and nothing here can abort.
#include <cstdint>

#include "scenario.h"
#include "stream_scenario.h"

namespace sl::theory {

/// Steady state of an M/M/c queue: Poisson arrivals, exponential service, c identical servers
/// sharing one unbounded FIFO queue. When `stable` is false (ρ >= 1 or invalid input) every
/// other field is NaN.
struct QueueState {
  bool stable = false;
  double utilization = 0;  ///< ρ = λ / (c μ): share of server time busy, 0..1
  double p_wait = 0;       ///< Erlang C: probability that an arrival waits, 0..1
  double wait_s = 0;       ///< W_q: mean time in the queue, seconds
  double response_s = 0;   ///< W = W_q + 1/μ: mean time in the system, seconds
  double in_queue = 0;     ///< L_q = λ W_q: mean requests waiting
  double in_system = 0;    ///< L = λ W: mean requests in the system
};

/// Largest server count the queueing functions accept (the recursions are O(c)).
constexpr int kMaxTheoryServers = 1000000;

/// Erlang B: probability that an arrival finds all `servers` busy when blocked arrivals are
/// lost, for `offered` erlangs (A = λ/μ). NaN on invalid input.
double erlangB(double offered, double servers);

/// Erlang C: probability that an arrival waits in an M/M/c queue of `servers` servers offered
/// `offered` erlangs. NaN when A >= c (no steady state) or on invalid input.
double erlangC(double offered, double servers);

/// M/M/c steady state; arrival and service rates per second, `servers` a whole number >= 1.
QueueState mmc(double arrival_per_s, double service_per_s, double servers);

/// P(response time > t) in a stable M/M/c queue (FIFO): the wait, 0 with probability 1 - P_wait
/// and else exponential with rate cμ - λ, plus an exponential service. NaN if not stable.
double responseTail(double arrival_per_s, double service_per_s, double servers, double t_s);

/// The q-quantile of the response time (0 < q < 1), seconds; q = 0.99 gives the p99.
double responseQuantile(double arrival_per_s, double service_per_s, double servers, double q);

/// Little's law: mean number in a stable system L = λ W.
double littleL(double arrival_per_s, double response_s);

/// Amdahl's law: speed-up on n servers when `parallel_share` (0..1) of the work is parallel.
double amdahl(double parallel_share, double n);

/// Universal Scalability Law: capacity of n servers relative to one, with contention
/// `alpha` and coherency `beta` (both >= 0).
double usl(double n, double alpha, double beta);

/// Where USL capacity peaks: sqrt((1 - alpha) / beta) servers (infinite when beta = 0).
double uslPeak(double alpha, double beta);

/// Share of uniformly hashed keys that move from n to n + 1 servers under hash mod n: n/(n+1).
double moduloRemapShare(double n);

/// The same under an ideal consistent hash: only the new server's share, 1/(n+1).
double consistentRemapShare(double n);

/// Share of requests that find no session when sessions live in server memory and round robin
/// spreads each user's requests over n servers: (n - 1)/n.
double roundRobinMissShare(double servers);

/// Share of users logged out when `killed` of `servers` servers holding sessions crash.
double crashLossShare(double killed, double servers);

/// Share of a revoked user's requests still accepted after revocation at `revoked_at_s`: a
/// token issued at the start works until `ttl_s`; a deny list refuses at once.
double revokedAcceptedShare(double ttl_s, double duration_s, double revoked_at_s, bool deny_list);

/// Servers an autoscaler needs to hold `target_utilization` at `rate_per_s`, each request
/// taking `work_s` of one of `workers` workers per server: ceil(λ × work / workers / target).
double serversNeeded(double rate_per_s, double work_s, double workers, double target_utilization);

/// Share of all requests a server added at `added_at_s` would serve with a fair balancer,
/// joining `servers` others: 1/(n + 1) for the (duration - added_at)/duration of the run.
double fairShareAfterAdd(double servers, double added_at_s, double duration_s);

/// Whether each server of a cluster scenario is an M/M/c queue: exponential service, no
/// sessions, no timeline, no autoscaler, and arrivals split so that each server sees a Poisson
/// stream of its own (one server, or a random or hashed split; round robin and the load-aware
/// policies make the gaps more regular than Poisson).
bool mmcApplies(const Scenario& s);

/// Credential bytes every request of a cluster scenario carries under its session mode: the
/// token, the session ID cookie, or none (the scenario's results: bytes.credentials_per_request,
/// while no set_session_mode changes the mode).
double credentialBytes(const Scenario& s);

/// Seconds the session store is down during a cluster scenario's timeline.
double storeOutageSeconds(const Scenario& s);

/// What theory expects of the first worker crash in a stream scenario.
struct StreamCrash {
  bool crashed = false;     ///< the timeline kills a worker (else the other fields are 0)
  int worker = 0;           ///< the first worker killed
  double at_s = 0;          ///< when, seconds
  int partitions_owned = 0; ///< partitions whose home is that worker (p % workers)
  int keys_owned = 0;       ///< keys that hash to those partitions
  double key_share = 0;     ///< expected share of the input on those keys (key popularity)
  double last_commit_s = 0; ///< the last commit of positions at or before the crash, seconds
  double replayed = 0;      ///< expected events processed again: rate × (at - commit) × share
};

/// The crash expectation of a stream scenario, by the model's own partitioning and hashing.
StreamCrash streamCrash(const StreamScenario& s);

}  // namespace sl::theory
