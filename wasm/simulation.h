#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "alias_table.h"
#include "balancer.h"
#include "distribution.h"
#include "event_queue.h"
#include "histogram.h"
#include "metrics.h"
#include "random.h"
#include "rarely_run.h"
#include "scenario.h"
#include "session.h"
#include "trace.h"
#include "worker_pool.h"

namespace sl {

/// What the front end may show of one server right now.
struct ServerView {
  int id = 0;
  bool alive = false;        ///< running (possibly still starting or draining)
  bool in_rotation = false;  ///< the balancer sends it new requests
  bool draining = false;     ///< leaving: finishes its queue, takes no new requests
  int busy = 0;              ///< workers serving a request
  int queued = 0;            ///< requests waiting
  int64_t sessions = 0;      ///< sessions held in its memory (server_memory)
  uint64_t handled = 0;      ///< requests it completed
};

/// What the front end may show of the session store right now.
struct StoreView {
  bool up = true;
  int busy = 0;
  int queued = 0;
  int64_t sessions = 0;
  uint64_t lookups = 0;
};

/// The cluster model: users, a balancer, servers, a session store and token auth, simulated
/// request by request. No clock and no I/O: time advances only through step()/runUntil().
/// Deterministic: the same Scenario gives the same results and trace on every platform.
class Simulation {
 public:
  explicit Simulation(const Scenario& scenario);

  /// Keep a trace of each step's events (off by default: the CLI does not need it).
  void setTrace(bool on, size_t limit = 20000);
  const TraceBuffer& trace() const { return trace_; }

  /// Advances simulated time by dt seconds, rounded to the nearest microsecond (not past the
  /// end). Clears the trace first.
  void step(double dt_s);
  /// Advances to simulated time t (microseconds, clamped to the end). Clears the trace first.
  void runUntil(int64_t t_us);
  /// Runs to the end.
  void run() { runUntil(end_us_); }

  int64_t nowUs() const { return now_us_; }
  int64_t endUs() const { return end_us_; }
  bool finished() const { return now_us_ >= end_us_; }

  /// Applies an action now (its at_us is ignored). Returns an empty error on success, or what
  /// is wrong (e.g. no such server, or the action would take the run past a limit of
  /// cost_model.h: requests, requests held, series size, action work, live actions).
  /// Applied actions are remembered for seek().
  InputError apply(const Action& action);
  /// The server the last add_server started (live, scheduled or the autoscaler's). apply()
  /// resets it first, so right after a successful apply() it is the server that action started,
  /// -1 for any other action. A dead server's slot is revived before the pool grows, so it is
  /// not always the last id.
  int addedServer() const { return added_server_; }
  /// As apply(), from JSON text like {"do": "kill_server", "server": 2}.
  InputError applyJson(const std::string& json);
  /// Goes to time t: replays from the start with the same seed and the live actions applied
  /// at or before t (one applied at exactly t is kept, as in the stream model). Live actions
  /// after t are forgotten, as on a video timeline.
  void seek(int64_t t_us);

  /// The results so far as JSON (the contract in README).
  nlohmann::json results() const;
  /// The per-interval series so far as JSON: the points from index `from`, at most `count` of
  /// them (a view fetches new points only, in bounded pieces).
  nlohmann::json series(size_t from = 0, size_t count = SIZE_MAX) const;
  /// results() without its series: what a view refreshes several times a second.
  nlohmann::json summary() const;

  int serverCount() const { return static_cast<int>(servers_.size()); }
  ServerView server(int id) const;
  StoreView store() const;
  const Scenario& scenario() const { return scenario_; }
  Policy policy() const { return balancer_.policy(); }
  SessionMode sessionMode() const { return sessions_.mode(); }
  /// Whether requests look something up in the session store under the live session mode.
  bool usesStore() const { return uses_store_; }
  double rate() const { return rate_; }
  /// Bytes held by the simulation's growable buffers (memory-flatness checks).
  size_t footprintBytes() const;

  /// Sum of requests completed, failed, rejected and denied (for tests of conservation).
  uint64_t arrived() const { return m_.arrived; }

 private:
  /// Users checked for a remap when the rotation changes under a hash policy (see setRotation).
  static constexpr size_t kRemapSample = 20000;

  struct Request {
    uint32_t user;
    int32_t server;       // -1 before dispatch
    int32_t slot;         // worker slot on the server, -1 while not holding one
    uint32_t id;          // arrival number (trace id)
    uint32_t gen;         // bumped when freed: events for an older generation are ignored
    uint32_t server_gen;  // server generation at dispatch: a killed server's work is void
    int64_t arrival_us;
    int64_t work_start_us;
    uint8_t flags;        // TraceFlag bits
    uint8_t outcome;      // TraceOutcome so far (Ok or Miss)
  };
  struct Server {
    bool alive = false;
    bool in_rotation = false;
    bool draining = false;
    bool restart_after_drain = false;  // rolling restart: start again once drained
    uint32_t gen = 0;               // bumped at every stop and start
    WorkerPool pool;                // entries: request index
    uint64_t handled = 0;
    int64_t series_busy_us = 0;     // pool busy time at the last series point
    int64_t alive_since = 0;
    int64_t alive_us = 0;
  };
  struct SeriesPoint {
    double t_s;
    uint64_t arrived, completed, failed, rejected, denied, misses;
    double p50_ms, p99_ms, mean_ms;
    int servers;
    double store_utilization;
  };

  void reset();
  void advance(int64_t t_us);
  void process(const Event& e);
  void sessionModeChanged();
  // The path of a request (request_flow.cpp).
  void scheduleArrival();
  void onArrival();
  void dispatch(uint32_t r);
  void onAtServer(uint32_t r);
  void startWork(uint32_t r);
  void beginService(uint32_t r);
  void onAtStore(uint32_t r);
  void storeStart(uint32_t r);
  void onStoreDone(uint32_t slot, uint32_t epoch);
  void onBackAtServer(uint32_t r);
  void onServiceDone(uint32_t r);
  void onResponse(uint32_t r);
  void startNextOnServer(int s);
  bool sessionCheck(uint32_t r);
  void finish(uint32_t r, TraceOutcome o, TraceKind k, int32_t at, int32_t reason);
  void releaseSlot(uint32_t r);
  void leaveServer(uint32_t r);
  uint32_t allocRequest();
  void changeInSystem(int delta);
  // Servers, the store and actions (cluster_actions.cpp).
  void stopServer(int s, bool fail_work);
  void failServerWork(int s);
  void startServer(int s);
  int addServer();
  void removeServer(int s, bool drain);
  void rollingStep(int s);
  void startRollingRestart(double gap_s);
  void maybeFinishDrain(int s);
  void storeDown();
  void setRotation(int s, bool in);
  uint64_t remappedUsers(const std::vector<int32_t>& before, size_t stride) const;
  void doAction(const Action& a);
  InputError check(const Action& a) const;
  InputError checkGrowth(int servers_after, double rate_after) const;
  InputError checkLiveCost(const Action& a) const;
  void autoscale();
  int autoscaleVictim() const;
  void traceAction(ActionKind k, int server, int64_t user);
  // Reporting (cluster_report.cpp).
  void closeSeriesPoint();
  nlohmann::json serversJson() const;

  Scenario scenario_;
  std::vector<Action> live_actions_;  // applied through apply(), replayed by seek()
  double live_work_ = 0.0;            // actionWork() of live_actions_, see CostLimits
  int added_server_ = -1;             // see addedServer()
  int64_t end_us_ = 0, now_us_ = 0, warmup_us_ = 0;
  Random rng_;
  EventQueue events_;
  Distribution service_;
  Distribution store_service_;
  AliasTable user_pick_;
  Balancer balancer_{Policy::RoundRobin, 1};
  Sessions sessions_;
  // What the live session mode asks of each request, kept at hand for the request path.
  bool uses_store_ = false;
  uint8_t mode_flags_ = 0;            // trace flags every request carries
  uint64_t credential_bytes_ = 0;     // credentialBytes(), bytes
  uint64_t store_lookup_bytes_ = 0;   // storeLookupBytes(), bytes
  int64_t session_work_us_ = 0;       // sessionWorkUs(), microseconds
  double rate_ = 0.0;
  double mean_gap_us_ = 0.0;      // -1e6 / rate_: the arrival gap is mean_gap_us_ * log(uniform)
  double next_arrival_us_ = 0.0;  // exact (unrounded) time of the next arrival
  // The next arrival waits outside the heap: it is always pending, so keeping it aside saves
  // a push and a pop per request. It sorts by (time, seq) like any event.
  bool arrival_pending_ = false;
  int64_t arrival_us_ = 0;
  uint64_t arrival_seq_ = 0;

  std::vector<Request> requests_;
  std::vector<uint32_t> free_requests_;
  std::vector<Server> servers_;
  std::vector<int> inflight_;  // per server: dispatched and not yet done, for the balancer

  bool store_up_ = true;
  uint32_t store_epoch_ = 0;  // bumped when the store goes down: its work is void
  WorkerPool store_;          // entries: (request generation << 32 | request)

  int64_t hop_us_ = 0, store_hop_us_ = 0, series_us_ = 1000000;
  int64_t last_scale_us_ = -1;
  int64_t last_series_us_ = 0;

  Metrics m_;
  Metrics series_base_;  // metrics at the last series point, for per-interval deltas
  Histogram latency_{7};
  Histogram interval_latency_{5};
  std::vector<SeriesPoint> series_;
  std::vector<float> series_util_;  // per point, the utilization of each server in turn
  std::vector<int> series_width_;   // servers recorded for each point

  bool trace_on_ = false;
  TraceBuffer trace_;
  uint32_t next_id_ = 0;
};

/// Runs a scenario to the end and returns its results.
nlohmann::json runScenario(const Scenario& scenario);

}  // namespace sl
