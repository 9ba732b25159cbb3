// Each session mode's signature, in numbers.
#include <catch2/catch.hpp>

#include "balancer.h"
#include "scenario.h"
#include "scenario_registry.h"
#include "simulation.h"

namespace {

sl::Scenario cluster(sl::SessionMode mode, sl::Policy policy) {
  sl::Scenario s;
  s.seed = 11;
  s.duration_s = 120;
  s.warmup_s = 5;
  s.traffic.users = 2000;
  s.traffic.rate_per_s = 200;
  s.policy = policy;
  s.servers.count = 4;
  s.servers.workers = 2;
  s.servers.service = {sl::DistKind::Exponential, 20.0, 0.0};
  s.session.mode = mode;
  s.network.hop_ms = 1;
  return s;
}

sl::Action at(double t_s, sl::ActionKind kind, int server = -1) {
  sl::Action a;
  a.at_us = static_cast<int64_t>(t_s * 1e6);
  a.kind = kind;
  a.server = server;
  return a;
}

uint64_t num(const nlohmann::json& r, const char* group, const char* key) { return r[group][key].get<uint64_t>(); }

}  // namespace

TEST_CASE("server_memory with round_robin misses the session on about (n-1)/n of repeat requests", "[modes]") {
  const sl::Scenario s = cluster(sl::SessionMode::ServerMemory, sl::Policy::RoundRobin);
  const auto r = sl::runScenario(s);
  const double repeat = static_cast<double>(num(r, "requests", "arrived") - num(r, "sessions", "created") +
                                            num(r, "sessions", "misses"));
  // Every request that is not a first login either hits or misses; round robin spreads a
  // user's requests over all four servers, so a repeat request finds its session 1/4 of the time.
  CHECK(static_cast<double>(num(r, "sessions", "misses")) / repeat == Approx(0.75).margin(0.03));
}

TEST_CASE("server_memory with sticky_cookie never misses while every server is up", "[modes]") {
  const auto r = sl::runScenario(cluster(sl::SessionMode::ServerMemory, sl::Policy::StickyCookie));
  CHECK(num(r, "sessions", "misses") == 0);
  CHECK(num(r, "sessions", "created") <= 2000);
}

TEST_CASE("sticky_cookie with server_memory loses about a quarter of sessions when one of four servers dies", "[modes]") {
  sl::Scenario s = cluster(sl::SessionMode::ServerMemory, sl::Policy::StickyCookie);
  s.timeline.push_back(at(60, sl::ActionKind::KillServer, 2));
  sl::Simulation sim(s);
  sim.runUntil(60000000 - 1);
  const auto before = sim.results();
  const double live = before["sessions"]["live"].get<double>();
  const double on_victim = before["servers"][2]["sessions"].get<double>();
  const uint64_t held = static_cast<uint64_t>(sim.server(2).busy + sim.server(2).queued);
  sim.run();
  const auto r = sim.results();
  CHECK(num(r, "sessions", "lost") == static_cast<uint64_t>(on_victim));
  CHECK(r["sessions"]["lost"].get<double>() / live == Approx(0.25).margin(0.05));
  // Users of the dead server come back, are re-pinned, and find no session: logged out.
  CHECK(num(r, "sessions", "misses") > 0);
  CHECK(num(r, "sessions", "misses") <= num(r, "sessions", "lost"));
  // Its queued and in-service requests fail, and so do the few on their way to it (1 ms hop).
  CHECK(num(r, "requests", "failed") >= held);
  CHECK(num(r, "requests", "failed") <= held + 5);
}

TEST_CASE("shared_store loses no session when a server dies but fails requests while the store is down", "[modes]") {
  sl::Scenario s = cluster(sl::SessionMode::SharedStore, sl::Policy::RoundRobin);
  s.timeline.push_back(at(40, sl::ActionKind::KillServer, 2));
  const auto crash_only = sl::runScenario(s);
  CHECK(num(crash_only, "sessions", "lost") == 0);
  CHECK(num(crash_only, "sessions", "misses") == 0);
  const uint64_t failed_by_crash = num(crash_only, "requests", "failed");
  CHECK(failed_by_crash <= 2 * 2 + 50);  // what the dead server held, not a flood

  s.timeline.push_back(at(60, sl::ActionKind::StoreDown));
  s.timeline.push_back(at(70, sl::ActionKind::StoreUp));
  const auto r = sl::runScenario(s);
  // About rate * 10 s of requests need the store while it is down.
  const double failed = static_cast<double>(num(r, "requests", "failed") - failed_by_crash);
  CHECK(failed == Approx(200.0 * 10).epsilon(0.15));
  CHECK(num(r, "sessions", "lost") == 0);  // a persistent store keeps its data
  const auto& series = r["series"];
  for (size_t i = 0; i < series["t_s"].size(); ++i) {
    const double t = series["t_s"][i].get<double>();
    if (t < 40 || (t > 41 && t < 60) || t > 71) CHECK(series["failed"][i].get<uint64_t>() == 0);
  }
}

TEST_CASE("shared_store that is not persistent loses every session when it goes down", "[modes]") {
  sl::Scenario s = cluster(sl::SessionMode::SharedStore, sl::Policy::RoundRobin);
  s.store.persistent = false;
  s.timeline.push_back(at(60, sl::ActionKind::StoreDown));
  s.timeline.push_back(at(61, sl::ActionKind::StoreUp));
  sl::Simulation sim(s);
  sim.runUntil(60000000 - 1);
  const uint64_t live = sim.store().sessions;
  sim.run();
  const auto r = sim.results();
  CHECK(num(r, "sessions", "lost") == live);
  CHECK(num(r, "sessions", "misses") > live / 2);
}

TEST_CASE("token mode loses nothing on a crash, adds verify time and bytes", "[modes]") {
  sl::Scenario none = cluster(sl::SessionMode::None, sl::Policy::RoundRobin);
  sl::Scenario token = cluster(sl::SessionMode::Token, sl::Policy::RoundRobin);
  token.token.verify_ms = 2.0;
  token.timeline.push_back(at(60, sl::ActionKind::KillServer, 1));
  const auto rn = sl::runScenario(none);
  const auto rt = sl::runScenario(token);
  CHECK(num(rt, "sessions", "lost") == 0);
  CHECK(num(rt, "sessions", "misses") == 0);
  CHECK(rt["bytes"]["credentials_per_request"].get<double>() == Approx(token.token.bytes));
  CHECK(rn["bytes"]["credentials_per_request"].get<double>() == 0.0);
  // Verification holds a worker for verify_ms longer: latency grows by at least that much.
  CHECK(rt["latency_ms"]["mean"].get<double>() - rn["latency_ms"]["mean"].get<double>() >= 2.0);
}

TEST_CASE("token mode accepts a revoked token until it expires unless deny_list is on", "[modes]") {
  sl::Scenario s = cluster(sl::SessionMode::Token, sl::Policy::RoundRobin);
  s.traffic.users = 20;
  s.token.ttl_s = 30;
  sl::Action revoke = at(10, sl::ActionKind::RevokeUser);
  revoke.user = 5;
  s.timeline.push_back(revoke);
  const auto open = sl::runScenario(s);
  CHECK(num(open, "auth", "revoked_accepted") > 0);
  CHECK(num(open, "requests", "denied") > 0);  // after expiry the refresh is refused

  s.token.deny_list = true;
  const auto closed = sl::runScenario(s);
  CHECK(num(closed, "auth", "revoked_accepted") == 0);
  CHECK(num(closed, "requests", "denied") > num(open, "requests", "denied"));
  // The deny list is a lookup per request: the token is no longer free of server state.
  CHECK(num(closed, "store", "lookups") >= num(closed, "requests", "completed"));
  CHECK(num(open, "store", "lookups") == 0);
}

TEST_CASE("session modes revoke server-side sessions at once", "[modes]") {
  const auto mode = GENERATE(sl::SessionMode::ServerMemory, sl::SessionMode::SharedStore);
  sl::Scenario s = cluster(mode, sl::Policy::StickyCookie);
  s.traffic.users = 20;
  sl::Action revoke = at(10, sl::ActionKind::RevokeUser);
  revoke.user = 5;
  s.timeline.push_back(revoke);
  const auto r = sl::runScenario(s);
  CHECK(num(r, "auth", "revoked_accepted") == 0);
  CHECK(num(r, "requests", "denied") > 0);
}

TEST_CASE("Balancer adding a server under ip_hash remaps most users, under consistent_hash about 1/(n+1)", "[modes]") {
  const int users = 100000;
  for (int n : {4, 9}) {
    for (sl::Policy p : {sl::Policy::IpHash, sl::Policy::ConsistentHash}) {
      sl::Balancer b(p, users);
      for (int i = 0; i < n; ++i) b.setInRotation(i, true);
      std::vector<int> before(users);
      for (int u = 0; u < users; ++u) before[u] = b.hashRoute(static_cast<uint32_t>(u));
      b.setInRotation(n, true);
      int moved = 0;
      for (int u = 0; u < users; ++u) moved += b.hashRoute(static_cast<uint32_t>(u)) != before[u];
      const double frac = static_cast<double>(moved) / users;
      INFO(sl::policyName(p) << " n=" << n << " moved " << frac);
      if (p == sl::Policy::IpHash) CHECK(frac == Approx(static_cast<double>(n) / (n + 1)).margin(0.02));
      else CHECK(frac == Approx(1.0 / (n + 1)).margin(0.35 / (n + 1)));
    }
  }
}

TEST_CASE("Simulation counts the users a scale-out moves under each hash policy", "[modes]") {
  for (const char* name : {"scale-out-modulo-vs-consistent", "scale-out-consistent"}) {
    sl::InputError err;
    const sl::Scenario s = sl::parseScenario(sl::registeredScenarioText(name), err);
    REQUIRE(err.empty());
    const auto r = sl::runScenario(s);
    const double frac = r["sessions"]["remapped_users"].get<double>() / static_cast<double>(s.traffic.users);
    INFO(name << " moved " << frac);
    if (s.policy == sl::Policy::IpHash) CHECK(frac > 0.7);
    else CHECK(frac < 0.3);
  }
}

TEST_CASE("Balancer sticky_cookie keeps a re-pinned user on the new server after the old one returns", "[modes]") {
  sl::Balancer b(sl::Policy::StickyCookie, 10);
  sl::Random rng(1);
  std::vector<int> inflight(3, 0);
  for (int i = 0; i < 3; ++i) b.setInRotation(i, true);
  const int first = b.pick(7, inflight, rng);
  b.setInRotation(first, false);
  const int second = b.pick(7, inflight, rng);
  CHECK(second != first);
  b.setInRotation(first, true);
  CHECK(b.pick(7, inflight, rng) == second);
  CHECK(b.repinned() == 1);
}

TEST_CASE("Balancer least_connections and power_of_two prefer the emptier server", "[modes]") {
  sl::Random rng(3);
  std::vector<int> inflight = {5, 0, 5, 5};
  sl::Balancer lc(sl::Policy::LeastConnections, 1);
  sl::Balancer p2(sl::Policy::PowerOfTwo, 1);
  for (int i = 0; i < 4; ++i) {
    lc.setInRotation(i, true);
    p2.setInRotation(i, true);
  }
  for (int k = 0; k < 20; ++k) CHECK(lc.pick(0, inflight, rng) == 1);
  int hits = 0;
  for (int k = 0; k < 4000; ++k) hits += p2.pick(0, inflight, rng) == 1;
  // Server 1 wins whenever it is one of the two sampled: probability 1/2.
  CHECK(hits / 4000.0 == Approx(0.5).margin(0.04));
}

TEST_CASE("Simulation rejects requests when no server is in rotation", "[modes]") {
  sl::Scenario s = cluster(sl::SessionMode::None, sl::Policy::RoundRobin);
  s.servers.count = 1;
  s.traffic.rate_per_s = 50;  // well under the one server's capacity: no queue overflow
  s.timeline.push_back(at(60, sl::ActionKind::KillServer, 0));
  const auto r = sl::runScenario(s);
  CHECK(num(r, "requests", "rejected") == Approx(50.0 * 60).epsilon(0.06));
}

TEST_CASE("Simulation drains a removed server: no request fails", "[modes]") {
  sl::Scenario s = cluster(sl::SessionMode::None, sl::Policy::RoundRobin);
  sl::Action rm = at(60, sl::ActionKind::RemoveServer, 1);
  rm.drain = true;
  s.timeline.push_back(rm);
  const auto r = sl::runScenario(s);
  CHECK(num(r, "requests", "failed") == 0);
  CHECK(r["servers"][1]["alive"].get<bool>() == false);
}

TEST_CASE("Simulation autoscaler adds servers under a surge and removes them after", "[modes]") {
  sl::InputError err;
  const sl::Scenario s = sl::parseScenario(sl::registeredScenarioText("autoscale"), err);
  REQUIRE(err.empty());
  const auto r = sl::runScenario(s);
  const auto& servers = r["series"]["servers"];
  int peak = 0;
  for (const auto& n : servers) peak = std::max(peak, n.get<int>());
  CHECK(peak > s.servers.count);
  CHECK(servers.back().get<int>() < peak);
  CHECK(num(r, "requests", "failed") == 0);
}

TEST_CASE("Simulation rolling_restart fails no request and loses only server-memory sessions", "[modes]") {
  for (sl::SessionMode mode : {sl::SessionMode::ServerMemory, sl::SessionMode::Token}) {
    sl::Scenario s = cluster(mode, sl::Policy::StickyCookie);
    s.servers.startup_s = 2;
    sl::Action roll = at(30, sl::ActionKind::RollingRestart);
    roll.gap_s = 10;
    s.timeline.push_back(roll);
    sl::Simulation sim(s);
    sim.runUntil(30000000 - 1);
    const int64_t live = sim.results()["sessions"]["live"].get<int64_t>();
    sim.run();
    const auto r = sim.results();
    INFO(sl::sessionModeName(mode));
    CHECK(num(r, "requests", "failed") == 0);
    for (const auto& sv : r["servers"]) CHECK(sv["alive"].get<bool>());
    if (mode == sl::SessionMode::ServerMemory) {
      // Every server restarts once, so every session alive before the roll is gone.
      CHECK(static_cast<int64_t>(num(r, "sessions", "lost")) >= live);
      CHECK(num(r, "sessions", "misses") > 0);
    } else {
      CHECK(num(r, "sessions", "lost") == 0);
      CHECK(num(r, "sessions", "misses") == 0);
    }
  }
}

TEST_CASE("Simulation estimates the users a scale-out moves from a sample when there are a million", "[modes]") {
  sl::Scenario s = cluster(sl::SessionMode::None, sl::Policy::IpHash);
  s.traffic.users = 1000000;
  s.duration_s = 2;
  for (int k = 0; k < 4; ++k) {
    sl::Action add = at(0.5 + 0.1 * k, sl::ActionKind::AddServer);
    s.timeline.push_back(add);
  }
  const auto r = sl::runScenario(s);
  // 4 -> 5 -> 6 -> 7 -> 8 servers under modulo hashing: each step moves n/(n+1) of the users.
  const double expected = 1e6 * (4.0 / 5 + 5.0 / 6 + 6.0 / 7 + 7.0 / 8);
  CHECK(r["sessions"]["remapped_users"].get<double>() == Approx(expected).epsilon(0.02));
}
