// Live actions, applied between steps as the widget does, and seeking on the timeline.
#include <catch2/catch.hpp>

#include "scenario.h"
#include "scenario_registry.h"
#include "simulation.h"
#include "stream_registry.h"
#include "stream_simulation.h"

namespace {
sl::Scenario registered(const char* name) {
  sl::InputError err;
  sl::Scenario s = sl::parseScenario(sl::registeredScenarioText(name), err);
  REQUIRE(err.empty());
  return s;
}
}  // namespace

TEST_CASE("Simulation.applyJson kills a server now and reports unknown servers as errors", "[live]") {
  sl::Simulation sim(registered("round-robin-memory"));
  sim.step(10);
  CHECK(sim.applyJson(R"({"do": "kill_server", "server": 2})").empty());
  CHECK_FALSE(sim.server(2).alive);
  const sl::InputError e = sim.applyJson(R"({"do": "kill_server", "server": 9})");
  CHECK(e.path == "$.server");
  CHECK(e.text().find("no such server") != std::string::npos);
  const sl::InputError bad = sim.applyJson(R"({"do": "explode"})");
  CHECK(bad.path == "$.do");
  CHECK(sim.applyJson("{not json").path == "$");
}

TEST_CASE("Simulation.apply switches policy and session mode without resetting traffic", "[live]") {
  sl::Simulation sim(registered("round-robin-memory"));
  sim.step(20);
  const uint64_t arrived = sim.arrived();
  sl::Action a;
  a.kind = sl::ActionKind::SetPolicy;
  a.policy = sl::Policy::StickyCookie;
  CHECK(sim.apply(a).empty());
  CHECK(sim.policy() == sl::Policy::StickyCookie);
  const auto mid = sim.results();
  sim.step(20);
  const auto after = sim.results();
  CHECK(sim.arrived() > arrived);
  // Sticky pins end the misses: only users pinned for the first time can still miss.
  const double misses_late = after["sessions"]["misses"].get<double>() - mid["sessions"]["misses"].get<double>();
  CHECK(misses_late < 0.2 * (after["requests"]["arrived"].get<double>() - mid["requests"]["arrived"].get<double>()));
  a.kind = sl::ActionKind::SetSessionMode;
  a.mode = sl::SessionMode::Token;
  CHECK(sim.apply(a).empty());
  CHECK(sim.sessionMode() == sl::SessionMode::Token);
}

TEST_CASE("Simulation.seek reproduces exactly the state reached with live actions", "[live]") {
  sl::Simulation sim(registered("sticky-crash"));
  sim.step(12.5);
  REQUIRE(sim.applyJson(R"({"do": "kill_server", "server": 0})").empty());
  sim.step(7.25);
  REQUIRE(sim.applyJson(R"({"do": "set_rate", "rate": 350})").empty());
  sim.step(10);
  REQUIRE(sim.nowUs() == 29750000);
  const std::string at30 = sim.results().dump();
  sim.step(15);
  sim.seek(29750000);
  CHECK(sim.nowUs() == 29750000);
  CHECK(sim.results().dump() == at30);
  // Seeking before a live action forgets it, like cutting a recording.
  sim.seek(10000000);
  sim.step(20);
  CHECK(sim.server(0).alive);
  CHECK(sim.results().dump() != at30);
}

TEST_CASE("Simulation trace reports every request's path with times in order", "[live]") {
  sl::Simulation sim(registered("shared-store"));
  sim.setTrace(true, 100000);
  sim.step(1.0);
  const sl::TraceBuffer& t = sim.trace();
  REQUIRE(t.size() > 100);
  size_t dispatch = 0, to_store = 0, done = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    CHECK(t.t0[i] <= t.t1[i]);
    CHECK(t.t1[i] <= 1.0 + 1e-9);
    const auto k = static_cast<sl::TraceKind>(t.kind[i]);
    dispatch += k == sl::TraceKind::Dispatch;
    to_store += k == sl::TraceKind::ToStore;
    done += k == sl::TraceKind::Done;
    if (k == sl::TraceKind::ToStore) CHECK(t.to[i] == sl::kNodeStore);
    if (k == sl::TraceKind::Dispatch) CHECK(t.from[i] == sl::kNodeBalancer);
  }
  CHECK(dispatch > 0);
  CHECK(to_store > 0);
  CHECK(done > 0);
  CHECK(t.dropped == 0);
}

TEST_CASE("Simulation trace stays within its limit and counts what it drops", "[live]") {
  sl::Simulation sim(registered("stateless-baseline"));
  sim.setTrace(true, 50);
  sim.step(2.0);
  CHECK(sim.trace().size() == 50);
  CHECK(sim.trace().dropped > 0);
}

TEST_CASE("Simulation conserves requests: arrived = completed + failed + rejected + denied + in flight", "[live]") {
  for (const std::string& name : sl::registeredScenarioNames()) {
    sl::Simulation sim(registered(name.c_str()));
    sim.run();
    const auto r = sim.results()["requests"];
    INFO(name);
    CHECK(r["arrived"].get<uint64_t>() == r["completed"].get<uint64_t>() + r["failed"].get<uint64_t>() +
                                              r["rejected"].get<uint64_t>() + r["denied"].get<uint64_t>() +
                                              r["in_flight"].get<uint64_t>());
    CHECK(r["in_flight"].get<uint64_t>() < 1000);
  }
}

TEST_CASE("Simulation memory stays flat over ten million requests", "[memory][slow]") {
  sl::Scenario s;
  s.seed = 5;
  s.servers.count = 16;
  s.servers.service = {sl::DistKind::Exponential, 1.0, 0.0};
  s.traffic.rate_per_s = 14400;
  s.traffic.users = 100000;
  s.duration_s = 1.0e7 / s.traffic.rate_per_s;
  s.series_interval_s = s.duration_s / 50;
  sl::Simulation sim(s);
  sim.runUntil(static_cast<int64_t>(s.duration_s * 1e5));  // 1e6 requests
  const size_t early = sim.footprintBytes();
  sim.run();
  CHECK(sim.arrived() >= 9900000);
  // Only the bounded series may grow between 1e6 and 1e7 requests.
  CHECK(sim.footprintBytes() <= early + 64 * 1024);
}

TEST_CASE("Simulation with a vanishingly small rate ends with no arrivals after the change", "[live]") {
  for (const char* text : {R"({"duration_s": 5, "traffic": {"rate_per_s": 1e-300}})",
                           R"({"duration_s": 5, "timeline": [{"at_s": 0.3, "do": "set_rate", "rate": 1e-300}]})"}) {
    sl::InputError err;
    const sl::Scenario s = sl::parseScenario(text, err);
    REQUIRE(err.empty());
    sl::Simulation sim(s);
    sim.run();
    CHECK(sim.finished());
    CHECK(sim.arrived() < 100);
  }
}

TEST_CASE("Simulation.addedServer names the server add_server started, a dead slot before a new one", "[live]") {
  sl::Simulation sim(registered("round-robin-memory"));
  const int count = sim.serverCount();
  sim.step(5);
  CHECK(sim.addedServer() == -1);
  REQUIRE(sim.applyJson(R"({"do": "kill_server", "server": 1})").empty());
  CHECK(sim.addedServer() == -1);
  REQUIRE(sim.applyJson(R"({"do": "add_server"})").empty());
  CHECK(sim.addedServer() == 1);
  CHECK(sim.server(1).alive);
  CHECK(sim.serverCount() == count);
  REQUIRE(sim.applyJson(R"({"do": "add_server"})").empty());
  CHECK(sim.addedServer() == count);
  CHECK(sim.serverCount() == count + 1);
  REQUIRE(sim.applyJson(R"({"do": "store_down"})").empty());
  CHECK(sim.addedServer() == -1);
}

TEST_CASE("Simulation and StreamSimulation seek keep a live action applied at exactly the time sought", "[live]") {
  sl::Simulation cluster(registered("round-robin-memory"));
  cluster.runUntil(5000000);
  REQUIRE(cluster.applyJson(R"({"do": "kill_server", "server": 1})").empty());
  cluster.runUntil(8000000);
  cluster.seek(5000000);
  CHECK_FALSE(cluster.server(1).alive);
  cluster.seek(4999999);
  CHECK(cluster.server(1).alive);

  sl::InputError err;
  sl::StreamScenario s = sl::parseStreamScenario(sl::streamScenarioText("stream-window-no-checkpoint"), err);
  REQUIRE(err.empty());
  s.timeline.clear();
  sl::StreamSimulation stream(s);
  stream.runUntil(5000000);
  REQUIRE(stream.applyJson(R"({"do": "kill_worker", "worker": 1})").empty());
  stream.runUntil(8000000);
  stream.seek(5000000);
  CHECK_FALSE(stream.worker(1).alive);
  stream.seek(4999999);
  CHECK(stream.worker(1).alive);
}
