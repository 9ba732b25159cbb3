#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "distribution.h"
#include "json_reader.h"

namespace sl {

/// How the load balancer picks a server for a request.
enum class Policy { Random, RoundRobin, LeastConnections, PowerOfTwo, IpHash, ConsistentHash, StickyCookie };

/// Where a user's session state lives.
enum class SessionMode {
  None,          ///< requests carry nothing to look up: pure stateless
  ServerMemory,  ///< in the memory of the server that created it
  SharedStore,   ///< in a shared store every server reaches over the network
  Token,         ///< in a signed token the client sends with every request
};

/// A timeline action, scheduled in a scenario or applied live.
enum class ActionKind {
  KillServer, RestartServer, AddServer, RemoveServer, StoreDown, StoreUp, RevokeUser, SetRate,
  SetPolicy, SetSessionMode, RollingRestart,
};

const char* policyName(Policy p);
const char* sessionModeName(SessionMode m);
const char* actionName(ActionKind a);

/// One timeline action.
struct Action {
  int64_t at_us = 0;  ///< when, simulated microseconds from the start
  ActionKind kind = ActionKind::KillServer;
  int server = -1;     ///< kill/restart/remove: which server (id)
  int64_t user = -1;   ///< revoke_user: which user (id)
  double rate = 0.0;   ///< set_rate: requests per second
  bool drain = true;   ///< remove_server: finish queued work before leaving
  double gap_s = 10;   ///< rolling_restart: seconds between one server's restart and the next
  Policy policy = Policy::RoundRobin;        ///< set_policy
  SessionMode mode = SessionMode::None;      ///< set_session_mode
};

/// Who sends requests.
struct TrafficDef {
  int64_t users = 1000;      ///< population size (1..1,000,000)
  double rate_per_s = 100;   ///< Poisson arrival rate of requests, all users together
  double user_skew = 0.0;    ///< Zipf exponent of per-user activity: 0 uniform, 1 a few heavy users
};

/// The server pool.
struct ServersDef {
  int count = 4;             ///< servers at the start (1..256)
  int workers = 1;           ///< requests served at once by one server (concurrency)
  int queue_limit = 1000;    ///< waiting requests per server beyond which new ones are rejected
  DistributionDef service{DistKind::Exponential, 10.0, 0.5};  ///< time to serve one request
  double startup_s = 0.0;    ///< restart/add: seconds before a server takes traffic
};

/// Session settings common to every mode.
struct SessionDef {
  SessionMode mode = SessionMode::None;
  int cookie_bytes = 32;  ///< session-id cookie sent with each request (server_memory, shared_store)
  int data_bytes = 1024;  ///< session payload read from the store per request (shared_store)
};

/// The shared session store (shared_store mode, and token deny lists).
struct StoreDef {
  double latency_ms = 0.5;   ///< one-way network latency server <-> store, milliseconds
  int workers = 4;           ///< lookups served at once
  int queue_limit = 10000;   ///< waiting lookups beyond which new ones fail
  DistributionDef service{DistKind::Exponential, 0.1, 0.5};  ///< time for one lookup
  bool persistent = true;    ///< sessions survive store_down (false: a restart loses them all)
};

/// Signed-token authentication (token mode).
struct TokenDef {
  double verify_ms = 0.3;   ///< CPU time to verify a signature, added to each request's service
  int bytes = 333;          ///< token size sent with each request (about an HS256 JWT)
  double ttl_s = 900;       ///< lifetime; an expired token is silently refreshed (unless revoked)
  bool deny_list = false;   ///< check each request against a deny list in the store
};

/// Network between balancer and servers.
struct NetworkDef {
  double hop_ms = 0.0;      ///< one-way latency balancer <-> server, milliseconds
  int request_bytes = 400;  ///< request size without credentials
};

/// Adds and removes servers to keep utilization near a target.
struct AutoscalerDef {
  bool enabled = false;
  double target_utilization = 0.6;  ///< fraction of worker time busy (0..1)
  int min = 1;                      ///< fewest servers in rotation
  int max = 16;                     ///< most servers in rotation
  double interval_s = 5;            ///< how often it looks, seconds
  double cooldown_s = 30;           ///< quiet time after a change, seconds
};

/// A whole cluster scenario: the input of a Simulation.
struct Scenario {
  std::string name;         ///< registry name or file name (informational)
  std::string title;        ///< human title (informational)
  uint64_t seed = 1;        ///< fixes every random draw (0 .. 2^53-1)
  double duration_s = 60;   ///< simulated seconds
  double warmup_s = 0;      ///< latency and throughput count only requests arriving after this
  double series_interval_s = 1;  ///< width of one point of the per-interval series
  TrafficDef traffic;
  Policy policy = Policy::RoundRobin;
  ServersDef servers;
  SessionDef session;
  StoreDef store;
  TokenDef token;
  NetworkDef network;
  AutoscalerDef autoscaler;
  std::vector<Action> timeline;  ///< sorted by time (stable)
};

/// Documented bounds of single settings; cost_model.h bounds their combinations.
struct Limits {
  static constexpr int64_t kMaxUsers = 1000000;
  static constexpr int kMaxServers = 256;  ///< including servers added later
  static constexpr int kMaxWorkers = 1024;
  static constexpr int kMaxQueue = 1000000;
  static constexpr double kMaxDurationS = 1.0e6;
  static constexpr double kMaxRate = 1.0e6;
  static constexpr double kMaxServiceMs = 600000;
  static constexpr int kMaxTimeline = 10000;
  static constexpr int kMaxSeriesPoints = 100000;
};

/// Parses and validates scenario JSON text. On success err is empty.
Scenario parseScenario(const std::string& text, InputError& err);
/// Validates an already parsed JSON document.
Scenario scenarioFromJson(const nlohmann::json& doc, InputError& err);
/// Validates one action. Live actions (applied now) need no at_s.
Action actionFromJson(JsonReader& r, double duration_s, bool live = false);
/// The scenario with every default filled in, as JSON (round-trips through parseScenario).
nlohmann::json scenarioToJson(const Scenario& s);
nlohmann::json actionToJson(const Action& a);

}  // namespace sl
