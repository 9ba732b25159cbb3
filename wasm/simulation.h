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
#include "random.h"
#include "scenario.h"
#include "trace.h"

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

  /// Advances simulated time by dt seconds (not past the end). Clears the trace first.
  void step(double dt_s);
  /// Advances to simulated time t (microseconds, clamped to the end). Clears the trace first.
  void runUntil(int64_t t_us);
  /// Runs to the end.
  void run() { runUntil(end_us_); }

  int64_t nowUs() const { return now_us_; }
  int64_t endUs() const { return end_us_; }
  bool finished() const { return now_us_ >= end_us_; }

  /// Applies an action now (its at_us is ignored). Returns an empty error on success, or what
  /// is wrong (e.g. no such server). Applied actions are remembered for seek().
  InputError apply(const Action& action);
  /// As apply(), from JSON text like {"do": "kill_server", "server": 2}.
  InputError applyJson(const std::string& json);
  /// Goes to time t: replays from the start with the same seed and the live actions applied
  /// before t. Live actions after t are forgotten, as on a video timeline.
  void seek(int64_t t_us);

  /// The results so far as JSON (the contract in README).
  nlohmann::json results() const;
  /// The per-interval series so far as JSON.
  nlohmann::json series() const;

  int serverCount() const { return static_cast<int>(servers_.size()); }
  ServerView server(int id) const;
  StoreView store() const;
  const Scenario& scenario() const { return scenario_; }
  Policy policy() const { return balancer_.policy(); }
  SessionMode sessionMode() const { return mode_; }
  double rate() const { return rate_; }
  /// Bytes held by the simulation's growable buffers (memory-flatness checks).
  size_t footprintBytes() const;

  /// Sum of requests completed, failed, rejected and denied (for tests of conservation).
  uint64_t arrived() const { return m_.arrived; }

 private:
  struct Request {
    uint32_t user;
    int32_t server;
    int32_t slot;        // worker slot on the server, -1 while queued
    uint32_t id;         // arrival number (trace id)
    uint32_t gen;        // bumped when the slot is freed: stale events are ignored
    uint32_t server_gen; // server generation at dispatch: a killed server's work is void
    int64_t arrival_us;
    uint8_t outcome;     // TraceOutcome
    uint8_t flags;
  };
  struct Server {
    bool alive = false;
    bool in_rotation = false;
    bool draining = false;
    uint32_t gen = 0;
    std::vector<int32_t> slots;  // request index per worker, -1 free
    int busy = 0;
    std::vector<uint32_t> queue;  // ring buffer of request indices
    size_t head = 0, count = 0;
    int64_t sessions = 0;
    uint64_t handled = 0;
    int64_t busy_us = 0;        // worker-microseconds spent serving
    int64_t alive_since = 0;
    int64_t alive_us = 0;       // accumulated alive time
    int64_t interval_busy_us = 0;
  };
  struct User {
    int32_t session = -1;     // server_memory: server holding the session; else 1 = has one
    int64_t token_expiry = 0; // token: expiry time, microseconds
    uint8_t revoked = 0;
  };
  struct Metrics {
    uint64_t arrived = 0, completed = 0, failed = 0, rejected = 0, denied = 0;
    uint64_t misses = 0, lost = 0, created = 0, remapped = 0;
    uint64_t revoked_accepted = 0, token_refreshes = 0;
    uint64_t store_lookups = 0;
    uint64_t credential_bytes = 0, store_bytes = 0, request_bytes = 0;
    uint64_t warm_arrived = 0, warm_completed = 0;
    double in_system_area = 0;  // integral of requests in system after warmup, request*us
    int64_t in_system = 0, area_since = 0;
    int64_t peak_servers = 0;
  };
  struct SeriesPoint {
    double t_s;
    uint64_t arrived, completed, failed, rejected, denied, misses;
    double p50_ms, p99_ms, mean_ms;
    int servers;
    double store_utilization;
  };

  void reset();
  void process(const Event& e);
  void onArrival();
  void dispatch(uint32_t r);
  void onAtServer(uint32_t r);
  void startWork(uint32_t r);
  void beginService(uint32_t r);
  void onAtStore(uint32_t r);
  void onStoreDone(uint32_t r);
  void onBackAtServer(uint32_t r);
  void onServiceDone(uint32_t r);
  void onResponse(uint32_t r);
  void startNextOnServer(int s);
  void finish(uint32_t r, TraceOutcome o, TraceKind k, int32_t at, int32_t reason);
  void releaseSlot(uint32_t r);
  uint32_t allocRequest();
  void freeRequest(uint32_t r);
  bool live(uint32_t r, uint32_t gen) const { return requests_[r].gen == gen; }
  void changeInSystem(int delta);
  void killServer(int s, bool lose_sessions);
  void startServer(int s);
  void doAction(const Action& a);
  void closeSeriesPoint();
  void autoscale();
  void countRemap(const std::vector<int32_t>& before);
  std::vector<int32_t> hashMap() const;
  void sessionCheck(uint32_t r);
  int storeFreeWorker() const;
  void traceAction(ActionKind k, int server, int64_t user);

  Scenario scenario_;
  std::vector<Action> live_actions_;  // applied through apply(), for seek()
  int64_t end_us_ = 0, now_us_ = 0, warmup_us_ = 0;
  Random rng_;
  EventQueue events_;
  Distribution service_;
  Distribution store_service_;
  AliasTable user_pick_;
  Balancer balancer_;
  SessionMode mode_ = SessionMode::None;
  double rate_ = 0.0;
  uint32_t arrival_gen_ = 0;  // bumped by set_rate: the pending arrival is void

  std::vector<Request> requests_;
  std::vector<uint32_t> free_requests_;
  std::vector<Server> servers_;
  std::vector<int> inflight_;  // per server, for the balancer
  std::vector<User> users_;

  bool store_up_ = true;
  std::vector<int32_t> store_slots_;
  int store_busy_ = 0;
  std::vector<uint32_t> store_queue_;
  size_t store_head_ = 0, store_count_ = 0;
  int64_t store_sessions_ = 0;
  int64_t store_busy_us_ = 0, store_interval_busy_us_ = 0;

  int64_t hop_us_ = 0, store_hop_us_ = 0, verify_us_ = 0, ttl_us_ = 0;
  int64_t last_scale_us_ = -1;

  Metrics m_;
  Histogram latency_{7};
  Histogram interval_latency_{5};
  SeriesPoint interval_{};
  std::vector<SeriesPoint> series_;
  int64_t series_us_ = 1000000;

  bool trace_on_ = false;
  TraceBuffer trace_;
  uint32_t next_id_ = 0;
};

/// Runs a scenario to the end and returns its results.
nlohmann::json runScenario(const Scenario& scenario);

}  // namespace sl
