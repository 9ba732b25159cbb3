#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "stream_cost.h"
#include "stream_registry.h"
#include "stream_scenario.h"
#include "stream_simulation.h"

using sl::InputError;
using nlohmann::json;

namespace {

json minimalStream() {
  return json{{"kind", "stream"},
              {"duration_s", 20},
              {"source", {{"rate_per_s", 50}, {"keys", 10}}},
              {"partitions", 4},
              {"workers", 2},
              {"pipeline", json::array({{{"op", "filter"}, {"field", "value"}, {"min", 5}},
                                        {{"op", "window_count"}, {"window_s", 5}}})},
              {"checkpoint", {{"mode", "exactly_once"}, {"interval_s", 2}}},
              {"timeline", json::array({{{"at_s", 8}, {"do", "kill_worker"}, {"worker", 1}}})}};
}

InputError refuse(const json& doc) {
  InputError err;
  sl::streamScenarioFromJson(doc, err);
  return err;
}

}  // namespace

TEST_CASE("streamScenarioFromJson fills documented defaults for a minimal stream scenario") {
  InputError err;
  const sl::StreamScenario s = sl::streamScenarioFromJson(json{{"kind", "stream"}}, err);
  REQUIRE(err.empty());
  CHECK(s.seed == 1);
  CHECK(s.duration_s == 60);
  CHECK(s.partitions == 8);
  CHECK(s.workers == 4);
  CHECK(s.source.rate_per_s == 100);
  CHECK(s.checkpoint.mode == sl::CheckpointMode::None);
  CHECK(s.pipeline.empty());
  CHECK(s.timeline.empty());
}

TEST_CASE("streamScenarioFromJson reads operators, checkpoint and a time-sorted timeline") {
  json doc = minimalStream();
  doc["timeline"] = json::array({{{"at_s", 12}, {"do", "restart_worker"}, {"worker", 1}},
                                 {{"at_s", 8}, {"do", "kill_worker"}, {"worker", 1}}});
  InputError err;
  const sl::StreamScenario s = sl::streamScenarioFromJson(doc, err);
  REQUIRE(err.empty());
  REQUIRE(s.pipeline.size() == 2);
  CHECK(s.pipeline[0].kind == sl::StreamOpKind::Filter);
  CHECK(s.pipeline[0].min == 5);
  CHECK(s.pipeline[1].kind == sl::StreamOpKind::WindowCount);
  CHECK(s.pipeline[1].window_s == 5);
  CHECK(s.checkpoint.mode == sl::CheckpointMode::ExactlyOnce);
  CHECK(s.checkpoint.interval_s == 2);
  REQUIRE(s.timeline.size() == 2);
  CHECK(s.timeline[0].kind == sl::StreamActionKind::KillWorker);
  CHECK(s.timeline[0].at_us == 8000000);
  CHECK(s.timeline[1].kind == sl::StreamActionKind::RestartWorker);
}

TEST_CASE("streamScenarioToJson output parses back to the same scenario") {
  InputError err;
  const sl::StreamScenario s = sl::streamScenarioFromJson(minimalStream(), err);
  REQUIRE(err.empty());
  const json once = sl::streamScenarioToJson(s);
  const sl::StreamScenario back = sl::streamScenarioFromJson(once, err);
  REQUIRE(err.empty());
  CHECK(sl::streamScenarioToJson(back) == once);
}

TEST_CASE("streamScenarioFromJson refuses bad stream scenarios with the JSON path of the mistake") {
  struct Case {
    const char* what;
    json doc;
    std::string text;  // the whole error line after "error: "
  };
  std::vector<Case> cases;
  auto with = [](const std::string& ptr, const json& v) {
    json d = minimalStream();
    d[json::json_pointer(ptr)] = v;
    return d;
  };
  json three_ops = minimalStream();
  three_ops["pipeline"] = json::array({{{"op", "filter"}, {"min", 1}}, {{"op", "map"}, {"scale", 2}},
                                       {{"op", "window_sum"}, {"window_s", -1}}});
  cases.push_back({"negative window", three_ops, "$.pipeline[2].window_s: must be greater than 0 (got -1)"});
  cases.push_back({"unknown operator", with("/pipeline/0/op", "reduce"),
                   "$.pipeline[0].op: must be one of filter, map, route, window_count, window_sum (got \"reduce\")"});
  json no_op = minimalStream();
  no_op["pipeline"][1].erase("op");
  cases.push_back({"operator without op", no_op,
                   "$.pipeline[1]: missing field \"op\" (one of filter, map, route, window_count, window_sum)"});
  cases.push_back({"zero partitions", with("/partitions", 0), "$.partitions: must be at least 1 (got 0)"});
  cases.push_back({"too many workers", with("/workers", 33), "$.workers: must be at most 32 (got 33)"});
  cases.push_back({"rate not a number", with("/source/rate_per_s", "fast"),
                   "$.source.rate_per_s: must be a number (got \"fast\")"});
  json typo = minimalStream();
  typo["source"]["rate"] = 5;
  cases.push_back({"unknown source field", typo,
                   "$.source.rate: unknown field (expected one of rate_per_s, keys, key_skew, value_max) (got 5)"});
  cases.push_back({"unknown checkpoint mode", with("/checkpoint/mode", "twice"),
                   "$.checkpoint.mode: must be one of none, exactly_once, at_least_once (got \"twice\")"});
  cases.push_back({"no such worker", with("/timeline/0/worker", 2),
                   "$.timeline[0].worker: no such worker (workers are numbered 0..1) (got 2)"});
  json twice_killed = minimalStream();
  twice_killed["timeline"].push_back({{"at_s", 9}, {"do", "kill_worker"}, {"worker", 1}});
  cases.push_back({"kill of a dead worker", twice_killed,
                   "$.timeline[1].worker: worker 1 is already down at that time (got 1)"});
  json restart_alive = minimalStream();
  restart_alive["timeline"] = json::array({{{"at_s", 3}, {"do", "restart_worker"}, {"worker", 0}}});
  cases.push_back({"restart of a running worker", restart_alive,
                   "$.timeline[0].worker: worker 0 is already running at that time (got 0)"});
  cases.push_back({"filter on an unknown field", with("/pipeline/0/field", "colour"),
                   "$.pipeline[0].field: must be one of value, key (got \"colour\")"});
  cases.push_back({"pipeline not an array", with("/pipeline", json{{"op", "map"}}),
                   "$.pipeline: must be an array of operators (got {\"op\":\"map\"})"});
  json flood = with("/source/rate_per_s", 100000);
  flood["duration_s"] = 30;
  cases.push_back({"too many events", flood,
                   "$.source.rate_per_s: with duration_s this means about 3000000 events; the limit is 2000000"
                   " (got 100000)"});
  cases.push_back({"windows too narrow", with("/pipeline/1/window_s", 0.001),
                   "$.pipeline[1].window_s: must be at least 0.01 (got 0.001)"});
  cases.push_back({"checkpoint interval zero", with("/checkpoint/interval_s", 0),
                   "$.checkpoint.interval_s: must be greater than 0 (got 0)"});
  cases.push_back({"wrong kind", with("/kind", "cluster"), "$.kind: must be one of stream (got \"cluster\")"});
  cases.push_back({"action after the end", with("/timeline/0/at_s", 21),
                   "$.timeline[0].at_s: must be at most 20 (got 21)"});
  json many_results = minimalStream();
  many_results["source"] = {{"rate_per_s", 100000}, {"keys", 100000}};
  many_results["pipeline"][1]["window_s"] = 1;
  cases.push_back({"too many window results", many_results,
                   "$.pipeline[1].window_s: with source.keys, source.rate_per_s and duration_s this means up to"
                   " 2000000 window results; the limit is 1000000 (got 1)"});
  json five_windows = minimalStream();
  for (int i = 0; i < 4; ++i) five_windows["pipeline"].push_back({{"op", "window_sum"}, {"window_s", 1}});
  cases.push_back({"five stateful operators", five_windows,
                   "$.pipeline[5]: is a fifth stateful operator; at most 4 are allowed (got {\"op\":\"window_sum\",\"window_s\":1})"});
  cases.push_back({"sink flag not a boolean", with("/sink", json{{"idempotent", "yes"}}),
                   "$.sink.idempotent: must be true or false (got \"yes\")"});
  cases.push_back({"unknown sink field", with("/sink", json{{"dedupe", true}}),
                   "$.sink.dedupe: unknown field (expected one of idempotent) (got true)"});

  REQUIRE(cases.size() >= 10);
  for (const Case& c : cases) {
    INFO(c.what);
    const InputError err = refuse(c.doc);
    CHECK(err.text() == c.text);
  }
}

TEST_CASE("streamScenarioFromJson reads the idempotent sink option, off by default") {
  InputError err;
  json doc = minimalStream();
  CHECK_FALSE(sl::streamScenarioFromJson(doc, err).sink.idempotent);
  doc["sink"] = {{"idempotent", true}};
  const sl::StreamScenario s = sl::streamScenarioFromJson(doc, err);
  REQUIRE(err.empty());
  CHECK(s.sink.idempotent);
  CHECK(sl::streamScenarioToJson(s)["sink"]["idempotent"] == true);
}

namespace {

// 2e6 events (the event limit) through 16 operators on 64 partitions, with kill and restart
// pairs of the only worker; a commit every commit_s seconds.
json heavyStream(int kills, double commit_s) {
  json tl = json::array();
  for (int i = 0; i < kills; ++i) {
    tl.push_back({{"at_s", 0.95 + 0.45 * i}, {"do", "kill_worker"}, {"worker", 0}});
    tl.push_back({{"at_s", 0.96 + 0.45 * i}, {"do", "restart_worker"}, {"worker", 0}});
  }
  json pipeline = json::array();
  for (int i = 0; i < 16; ++i) pipeline.push_back({{"op", "map"}, {"scale", 1}});
  return json{{"kind", "stream"}, {"duration_s", 100}, {"source", {{"rate_per_s", 20000}, {"keys", 1000}}},
              {"partitions", 64}, {"workers", 1}, {"pipeline", pipeline},
              {"checkpoint", {{"mode", "at_least_once"}, {"interval_s", commit_s}}}, {"timeline", tl}};
}

}  // namespace

TEST_CASE("streamScenarioFromJson refuses a run whose estimated work is over the limit, naming what drives it") {
  // Each crash replays up to commit_s seconds of input through the whole pipeline.
  InputError none;
  const sl::StreamCost few = sl::streamCost(sl::streamScenarioFromJson(heavyStream(10, 1), none));
  REQUIRE(none.empty());
  CHECK(few.events == Approx(2.0e6));
  CHECK(few.event_work == Approx(2.0e6 * (1 + 16 + 64)));
  CHECK(few.replay_work == Approx(10 * 20000.0 * (1 + 16 + 64)));
  CHECK(refuse(heavyStream(10, 1)).empty());

  const InputError err = refuse(heavyStream(200, 1));
  CHECK(err.path == "$.timeline");
  CHECK(err.message.find("most of it replays after crashes; the limit is 200000000") != std::string::npos);
  CHECK(err.text().rfind("$.timeline: the run needs about ", 0) == 0);
  // Committing more often shortens each replay: the same crashes fit again.
  CHECK(refuse(heavyStream(200, 0.1)).empty());
}

TEST_CASE("streamCost counts only changed state entries for frequent checkpoints of a large state") {
  // The 30-minute scenario of old: every checkpoint copied every partition's state map.
  json doc{{"kind", "stream"}, {"duration_s", 10000}, {"source", {{"rate_per_s", 25}, {"keys", 100000}}},
           {"pipeline", json::array({{{"op", "window_count"}, {"window_s", 10000}},
                                     {{"op", "window_sum"}, {"window_s", 10000}},
                                     {{"op", "window_count"}, {"window_s", 5000}},
                                     {{"op", "window_sum"}, {"window_s", 2500}}})},
           {"checkpoint", {{"mode", "exactly_once"}, {"interval_s", 0.1}}}};
  InputError err;
  const sl::StreamScenario s = sl::streamScenarioFromJson(doc, err);
  REQUIRE(err.empty());
  const sl::StreamCost c = sl::streamCost(s);
  CHECK(c.checkpoints == 100000);
  CHECK(c.state_entries == Approx(4 * 2 * 100000.0));
  // Full copies would be checkpoints * entries = 8e10; incremental writes are bounded by the
  // changes: two per event and operator.
  CHECK(c.checkpoint_work == Approx(100000.0 * (8 + 4) + 2 * 250000.0 * 4));
  CHECK(c.total() < sl::StreamLimits::kMaxWork);
}

TEST_CASE("parseStreamScenario refuses text that is not JSON at the root path") {
  InputError err;
  sl::parseStreamScenario("{\"kind\": \"stream\", ", err);
  CHECK(err.path == "$");
  CHECK(err.message.find("not valid JSON") != std::string::npos);
}

TEST_CASE("runStreamScenario returns null and the error for a bad scenario") {
  json doc = minimalStream();
  doc["partitions"] = -3;
  InputError err;
  const json r = sl::runStreamScenario(doc, nullptr, err);
  CHECK(r.is_null());
  CHECK(err.text() == "$.partitions: must be at least 1 (got -3)");
}

TEST_CASE("isStreamScenario is true only for objects whose kind is stream") {
  CHECK(sl::isStreamScenario(json{{"kind", "stream"}}));
  CHECK_FALSE(sl::isStreamScenario(json{{"kind", "cluster"}}));
  CHECK_FALSE(sl::isStreamScenario(json{{"seed", 1}}));
  CHECK_FALSE(sl::isStreamScenario(json::array({"stream"})));
  CHECK_FALSE(sl::isStreamScenario(json{{"kind", 3}}));
}

TEST_CASE("streamScenarioText gives a valid scenario for every registered name and nothing otherwise") {
  const std::vector<std::string>& names = sl::streamScenarioNames();
  REQUIRE(names.size() >= 3);
  for (const std::string& name : names) {
    INFO(name);
    InputError err;
    const sl::StreamScenario s = sl::parseStreamScenario(sl::streamScenarioText(name), err);
    INFO(err.text());
    CHECK(err.empty());
    CHECK(s.name == name);
  }
  CHECK(sl::streamScenarioText("no-such-scenario").empty());
}

TEST_CASE("StreamSimulation with a vanishingly small source rate ends with no events", "[stream]") {
  sl::InputError err;
  const sl::StreamScenario s = sl::parseStreamScenario(R"({"kind": "stream", "duration_s": 5, "source": {"rate_per_s": 1e-300}})", err);
  REQUIRE(err.empty());
  sl::StreamSimulation sim(s);
  sim.run();
  CHECK(sim.finished());
  CHECK(sim.results()["events"]["in"].get<int>() == 0);
}
