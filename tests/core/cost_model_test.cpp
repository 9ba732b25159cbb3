// The cost model: validation and every live action stay within the run's budget of requests,
// requests held at once, series size and action work. Each hostile input here was reported
// against an earlier build, where it was accepted and ran for minutes or exhausted memory.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "cost_model.h"
#include "scenario.h"
#include "scenario_registry.h"
#include "simulation.h"
#include "stream_cost.h"
#include "stream_scenario.h"

namespace {

sl::Scenario valid(const std::string& text) {
  sl::InputError err;
  sl::Scenario s = sl::parseScenario(text, err);
  INFO(err.text());
  REQUIRE(err.empty());
  return s;
}

sl::InputError refusal(const std::string& text) {
  sl::InputError err;
  sl::parseScenario(text, err);
  return err;
}

/// A timeline of n copies of one action, JSON.
std::string timelineOf(int n, const std::string& action) {
  std::string tl = "[";
  for (int i = 0; i < n; ++i) tl += (i ? "," : "") + action;
  return tl + "]";
}

}  // namespace

TEST_CASE("Simulation.applyJson refuses a set_rate that would take the run past 1e8 requests", "[cost]") {
  // The link that froze a tab for 19 minutes: zero traffic for 1e6 s, then 1e6 requests/s.
  sl::Simulation sim(valid(R"({"duration_s": 1000000, "series_interval_s": 10, "traffic": {"rate_per_s": 0}})"));
  const sl::InputError err = sim.applyJson(R"({"do": "set_rate", "rate": 1000000})");
  CHECK(err.path == "$.rate");
  CHECK(err.message.find("limit is 100000000") != std::string::npos);
  CHECK(sim.rate() == 0);
  // 100/s over 1e6 s is exactly the budget.
  CHECK(sim.applyJson(R"({"do": "set_rate", "rate": 100})").empty());
  CHECK(sim.rate() == 100);
}

TEST_CASE("Simulation.applyJson counts the requests already arrived against the budget", "[cost]") {
  sl::Simulation sim(valid(R"({"duration_s": 200, "traffic": {"users": 1, "rate_per_s": 400000},
      "servers": {"count": 1, "queue_limit": 0, "service_ms": {"dist": "constant", "mean": 0.001}}})"));
  sim.runUntil(100000000);  // half-way: about 4e7 arrived
  // 1e6/s for the 100 s left would be 1e8 on its own, 1.4e8 with those already arrived.
  CHECK(sim.applyJson(R"({"do": "set_rate", "rate": 1000000})").path == "$.rate");
  CHECK(sim.applyJson(R"({"do": "set_rate", "rate": 500000})").empty());
}

TEST_CASE("Simulation.applyJson weighs a live set_rate against the scheduled rate changes after it", "[cost]") {
  // From 10 s on the timeline brings the rate back to 10/s: 1e6/s until then is 1e7 requests.
  sl::Simulation sim(valid(R"({"duration_s": 1000000, "series_interval_s": 10, "traffic": {"rate_per_s": 0},
      "timeline": [{"at_s": 10, "do": "set_rate", "rate": 10}]})"));
  CHECK(sim.applyJson(R"({"do": "set_rate", "rate": 1000000})").empty());
  sim.runUntil(20000000);
  CHECK(sim.applyJson(R"({"do": "set_rate", "rate": 1000})").path == "$.rate");
}

TEST_CASE("parseScenario refuses servers whose queues could hold more than 4e6 requests", "[cost]") {
  // 256 servers x queue_limit 1e6 once let 3e7 queued requests take 6.4 GB natively.
  const sl::InputError err = refusal(R"({"servers": {"count": 256, "queue_limit": 1000000}})");
  CHECK(err.path == "$.servers.queue_limit");
  CHECK(err.message.find("limit is 4000000") != std::string::npos);
  CHECK(refusal(R"({"servers": {"count": 3, "queue_limit": 1000000}})").empty());
  // Servers the timeline adds count too.
  CHECK(refusal(R"({"servers": {"count": 3, "queue_limit": 1000000},
                   "timeline": [{"at_s": 1, "do": "add_server"}, {"at_s": 2, "do": "add_server"}]})")
            .path == "$.servers.queue_limit");
  // So do requests on the wire: 1e5/s over 10 s hops both ways.
  CHECK(refusal(R"({"duration_s": 10, "traffic": {"rate_per_s": 1000000}, "network": {"hop_ms": 10000}})")
            .path == "$.servers.queue_limit");
}

TEST_CASE("Simulation.applyJson refuses an add_server whose queue would pass the held-requests limit", "[cost]") {
  sl::Simulation sim(valid(R"({"servers": {"count": 3, "queue_limit": 1000000}})"));
  const sl::InputError err = sim.applyJson(R"({"do": "add_server"})");
  CHECK(err.path == "$.do");
  CHECK(sim.serverCount() == 3);
  // Reviving a stopped server adds nothing held: it is allowed.
  REQUIRE(sim.applyJson(R"({"do": "kill_server", "server": 1})").empty());
  CHECK(sim.applyJson(R"({"do": "add_server"})").empty());
  CHECK(sim.serverCount() == 3);
}

TEST_CASE("parseScenario refuses series of more than 2e6 per-server values", "[cost]") {
  // A 100-byte scenario once printed 347 MB: 256 servers x 1e5 points.
  const sl::InputError err =
      refusal(R"({"duration_s": 100000, "traffic": {"rate_per_s": 0}, "servers": {"count": 256}})");
  CHECK(err.path == "$.series_interval_s");
  CHECK(refusal(R"({"duration_s": 100000, "series_interval_s": 20, "traffic": {"rate_per_s": 0},
                   "servers": {"count": 256}})").empty());
  // The autoscaler's maximum counts as servers.
  CHECK(refusal(R"({"duration_s": 100000, "traffic": {"rate_per_s": 0}, "servers": {"count": 4},
                   "autoscaler": {"enabled": true, "max": 64, "interval_s": 100}})").path == "$.series_interval_s");
}

TEST_CASE("Simulation.applyJson refuses an add_server that would pass the series limit", "[cost]") {
  // 20 servers x 1e5 points is exactly 2e6 values: a 21st server does not fit.
  sl::Simulation sim(valid(R"({"duration_s": 100000, "traffic": {"rate_per_s": 0}, "servers": {"count": 20}})"));
  CHECK(sim.applyJson(R"({"do": "add_server"})").path == "$.do");
  CHECK(sim.serverCount() == 20);
}

TEST_CASE("parseScenario refuses timelines and autoscalers whose work passes the limit", "[cost]") {
  // 10000 rolling restarts of 256 servers under a hashing policy once meant 2e11 route checks.
  const std::string rolling = R"({"traffic": {"users": 100000, "rate_per_s": 0}, "servers": {"count": 256},
      "balancer": {"policy": "consistent_hash"}, "timeline": )" +
                              timelineOf(10000, R"({"at_s": 1, "do": "rolling_restart"})") + "}";
  CHECK(refusal(rolling).path == "$.timeline");
  // 1000 session-mode changes for a million users is 1e9 user resets.
  const std::string modes = R"({"traffic": {"users": 1000000, "rate_per_s": 0}, "timeline": )" +
                            timelineOf(1000, R"({"at_s": 1, "do": "set_session_mode", "mode": "token"})") + "}";
  CHECK(refusal(modes).path == "$.timeline");
  // An autoscaler looking ten times a second for 1e6 s.
  CHECK(refusal(R"({"duration_s": 1000000, "series_interval_s": 100, "traffic": {"rate_per_s": 0},
                   "autoscaler": {"enabled": true, "interval_s": 0.1}})").path == "$.autoscaler.interval_s");
}

TEST_CASE("Simulation.applyJson refuses live actions past the work limit and past 10000 of them", "[cost]") {
  sl::Simulation sim(valid(R"({"traffic": {"users": 1000000, "rate_per_s": 0}})"));
  int accepted = 0;
  sl::InputError err;
  for (int i = 0; i < 1000 && err.empty(); ++i) {
    err = sim.applyJson(i % 2 ? R"({"do": "set_session_mode", "mode": "none"})"
                              : R"({"do": "set_session_mode", "mode": "token"})");
    accepted += err.empty() ? 1 : 0;
  }
  CHECK(err.path == "$.do");
  CHECK(accepted == 200);  // 2e8 steps / 1e6 users

  sl::Simulation many(valid(R"({"traffic": {"rate_per_s": 0}})"));
  many.runUntil(1000000);
  for (int i = 0; i < sl::CostLimits::kMaxLiveActions; ++i) REQUIRE(many.applyJson(R"({"do": "store_up"})").empty());
  CHECK(many.applyJson(R"({"do": "store_up"})").path == "$");
  // Seeking back forgets the later live actions, and with them their cost.
  many.seek(500000);
  CHECK(many.applyJson(R"({"do": "store_up"})").empty());
}

TEST_CASE("parseScenario accepts every registered scenario within the cost limits", "[cost]") {
  for (const std::string& name : sl::registeredScenarioNames()) {
    INFO(name);
    sl::InputError err;
    sl::parseScenario(sl::registeredScenarioText(name), err);
    INFO(err.text());
    CHECK(err.empty());
  }
}

TEST_CASE("Simulation at the held-requests limit stays within 1 GB", "[cost][memory]") {
  // The worst accepted held load: 4 servers x 999998 queued requests, filled at 1e6/s by
  // requests that take 10 minutes each. footprintBytes counts every growable buffer.
  sl::Simulation sim(valid(R"({"duration_s": 5, "traffic": {"rate_per_s": 1000000},
      "servers": {"count": 4, "queue_limit": 999998, "service_ms": {"dist": "constant", "mean": 600000}},
      "store": {"queue_limit": 0, "workers": 1, "latency_ms": 0}})"));
  sim.run();
  const double held = static_cast<double>(sim.results()["requests"]["in_flight"].get<double>());
  INFO("held " << held << " requests in " << sim.footprintBytes() << " bytes");
  CHECK(held > 3.9e6);
  CHECK(sim.footprintBytes() < 1024.0 * 1024 * 1024);
}

TEST_CASE("parseScenario accepts each worst case of the README's Limits table", "[cost]") {
  // Each sits at one limit; the table's times and memory were measured on these files.
  for (const char* name : {"requests", "held", "series", "actions", "input"}) {
    INFO(name);
    std::ifstream in(std::string(SL_WORST_CASE_DIR) + "/" + name + ".json", std::ios::binary);
    REQUIRE(in);
    std::ostringstream text;
    text << in.rdbuf();
    sl::InputError err;
    sl::parseScenario(text.str(), err);
    INFO(err.text());
    CHECK(err.empty());
  }
}

TEST_CASE("streamCost puts the README's stream worst case near the work limit, and validation accepts it", "[cost]") {
  std::ifstream in(std::string(SL_WORST_CASE_DIR) + "/stream.json", std::ios::binary);
  REQUIRE(in);
  std::ostringstream text;
  text << in.rdbuf();
  sl::InputError err;
  const sl::StreamScenario s = sl::parseStreamScenario(text.str(), err);
  INFO(err.text());
  REQUIRE(err.empty());
  const double work = sl::streamCost(s).total();
  CHECK(work > 0.75 * sl::StreamLimits::kMaxWork);
  CHECK(work <= sl::StreamLimits::kMaxWork);
}
