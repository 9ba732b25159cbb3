#include "scenario_registry.h"

#include <utility>

namespace sl {

namespace {

const std::pair<const char*, const char*> kScenarios[] = {
    {"stateless-baseline", R"({
  "name": "stateless-baseline",
  "title": "Stateless servers behind round robin",
  "description": "No session state on the servers: any server can answer any request, so a crash only fails the requests it was holding.",
  "seed": 7, "duration_s": 60, "warmup_s": 5,
  "traffic": {"users": 1000, "rate_per_s": 200},
  "balancer": {"policy": "round_robin"},
  "servers": {"count": 4, "workers": 2, "service_ms": {"dist": "lognormal", "mean": 20, "sigma": 0.5}},
  "session": {"mode": "none"},
  "network": {"hop_ms": 2},
  "timeline": [{"at_s": 30, "do": "kill_server", "server": 1}]
})"},
    {"round-robin-memory", R"({
  "name": "round-robin-memory",
  "title": "Sessions in server memory, round robin: broken",
  "description": "Each server remembers only the users who logged in on it, and round robin sends the next request elsewhere: most requests find no session.",
  "seed": 7, "duration_s": 60, "warmup_s": 5,
  "traffic": {"users": 1000, "rate_per_s": 200},
  "balancer": {"policy": "round_robin"},
  "servers": {"count": 4, "workers": 2, "service_ms": {"dist": "lognormal", "mean": 20, "sigma": 0.5}},
  "session": {"mode": "server_memory"},
  "network": {"hop_ms": 2}
})"},
    {"sticky-crash", R"({
  "name": "sticky-crash",
  "title": "Sticky sessions: one server of four crashes",
  "description": "Sticky cookies keep each user on the server that holds their session. When server 1 crashes, its users are re-pinned elsewhere and find no session there: they are logged out.",
  "seed": 7, "duration_s": 60, "warmup_s": 5,
  "traffic": {"users": 1000, "rate_per_s": 200, "user_skew": 0.6},
  "balancer": {"policy": "sticky_cookie"},
  "servers": {"count": 4, "workers": 2, "service_ms": {"dist": "lognormal", "mean": 20, "sigma": 0.5}},
  "session": {"mode": "server_memory"},
  "network": {"hop_ms": 2},
  "timeline": [{"at_s": 30, "do": "kill_server", "server": 1}]
})"},
    {"shared-store", R"({
  "name": "shared-store",
  "title": "Shared session store: a crash logs nobody out, but the store is a single point of failure",
  "description": "Sessions live in a shared store, so any server can serve any user and the crash of server 1 loses nothing. While the store itself is down, every request that needs a session fails.",
  "seed": 7, "duration_s": 60, "warmup_s": 5,
  "traffic": {"users": 1000, "rate_per_s": 200, "user_skew": 0.6},
  "balancer": {"policy": "round_robin"},
  "servers": {"count": 4, "workers": 2, "service_ms": {"dist": "lognormal", "mean": 20, "sigma": 0.5}},
  "session": {"mode": "shared_store"},
  "store": {"latency_ms": 0.5, "workers": 4, "service_ms": {"dist": "exponential", "mean": 0.2}},
  "network": {"hop_ms": 2},
  "timeline": [{"at_s": 30, "do": "kill_server", "server": 1},
               {"at_s": 45, "do": "store_down"},
               {"at_s": 50, "do": "store_up"}]
})"},
    {"token-revocation", R"({
  "name": "token-revocation",
  "title": "Signed tokens: nothing to look up, but a revoked token works until it expires",
  "description": "Each request carries a signed token. Servers verify it with CPU alone, so a crash loses no session. User 3 is revoked at 20 s, yet their token is accepted until it expires; a deny list would stop it at once, at the cost of a lookup per request.",
  "seed": 7, "duration_s": 60, "warmup_s": 5,
  "traffic": {"users": 100, "rate_per_s": 200, "user_skew": 1.0},
  "balancer": {"policy": "round_robin"},
  "servers": {"count": 4, "workers": 2, "service_ms": {"dist": "lognormal", "mean": 20, "sigma": 0.5}},
  "session": {"mode": "token"},
  "token": {"verify_ms": 0.3, "bytes": 333, "ttl_s": 30, "deny_list": false},
  "network": {"hop_ms": 2},
  "timeline": [{"at_s": 20, "do": "revoke_user", "user": 3},
               {"at_s": 30, "do": "kill_server", "server": 1}]
})"},
    {"scale-out-modulo-vs-consistent", R"({
  "name": "scale-out-modulo-vs-consistent",
  "title": "Scaling out under ip_hash (modulo): most users move",
  "description": "Hashing users modulo the number of servers pins each user to a server without cookies. Adding a fifth server changes the modulus, so most users land on a new server and lose their in-memory session. Compare with scale-out-consistent.",
  "seed": 7, "duration_s": 60, "warmup_s": 5,
  "traffic": {"users": 2000, "rate_per_s": 200},
  "balancer": {"policy": "ip_hash"},
  "servers": {"count": 4, "workers": 2, "service_ms": {"dist": "lognormal", "mean": 20, "sigma": 0.5}},
  "session": {"mode": "server_memory"},
  "network": {"hop_ms": 2},
  "timeline": [{"at_s": 30, "do": "add_server"}]
})"},
    {"scale-out-consistent", R"({
  "name": "scale-out-consistent",
  "title": "Scaling out under consistent hashing: about 1/(n+1) of users move",
  "description": "The same scale-out with a consistent-hash ring: only the users whose ring segment the new server takes over move, about a fifth of them.",
  "seed": 7, "duration_s": 60, "warmup_s": 5,
  "traffic": {"users": 2000, "rate_per_s": 200},
  "balancer": {"policy": "consistent_hash"},
  "servers": {"count": 4, "workers": 2, "service_ms": {"dist": "lognormal", "mean": 20, "sigma": 0.5}},
  "session": {"mode": "server_memory"},
  "network": {"hop_ms": 2},
  "timeline": [{"at_s": 30, "do": "add_server"}]
})"},
    {"autoscale", R"({
  "name": "autoscale",
  "title": "Autoscaling stateless servers through a traffic surge",
  "description": "Traffic triples at 20 s. The autoscaler adds servers after a startup delay; because no server holds sessions, new servers help at once and removing them later logs nobody out.",
  "seed": 7, "duration_s": 120, "warmup_s": 5,
  "traffic": {"users": 2000, "rate_per_s": 200},
  "balancer": {"policy": "least_connections"},
  "servers": {"count": 2, "workers": 4, "startup_s": 5, "service_ms": {"dist": "lognormal", "mean": 20, "sigma": 0.5}},
  "session": {"mode": "token"},
  "network": {"hop_ms": 2},
  "autoscaler": {"enabled": true, "target_utilization": 0.6, "min": 2, "max": 12, "interval_s": 5, "cooldown_s": 10},
  "timeline": [{"at_s": 20, "do": "set_rate", "rate": 600}, {"at_s": 80, "do": "set_rate", "rate": 200}]
})"},
    {"mm1", R"({
  "name": "mm1",
  "title": "One server as an M/M/1 queue at 80% load",
  "description": "Poisson arrivals, exponential service, one worker: queueing theory predicts a mean latency of 1/(mu - lambda) = 50 ms here.",
  "seed": 7, "duration_s": 600, "warmup_s": 20,
  "traffic": {"users": 1000, "rate_per_s": 80},
  "balancer": {"policy": "random"},
  "servers": {"count": 1, "workers": 1, "service_ms": {"dist": "exponential", "mean": 10}},
  "session": {"mode": "none"}
})"},
};

}  // namespace

std::vector<std::string> registeredScenarioNames() {
  std::vector<std::string> names;
  for (const auto& s : kScenarios) names.emplace_back(s.first);
  return names;
}

const char* registeredScenarioText(const std::string& name) {
  for (const auto& s : kScenarios)
    if (name == s.first) return s.second;
  return nullptr;
}

}  // namespace sl
