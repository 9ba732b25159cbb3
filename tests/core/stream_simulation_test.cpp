#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "stream_cost.h"
#include "stream_registry.h"
#include "stream_scenario.h"
#include "stream_simulation.h"
#include "stream_source.h"

using nlohmann::json;

namespace {

constexpr int kPartitions = 8;
constexpr int kWorkers = 4;

// 30 s of 300 events/s over 40 keys; partition p's home worker is p % 4. Processing is
// instantaneous unless a test says otherwise, so "processed before the crash" means
// "appended before the crash" and expectations can be computed from the source alone.
json baseStream() {
  return json{{"kind", "stream"},
              {"seed", 11},
              {"duration_s", 30},
              {"source", {{"rate_per_s", 300}, {"keys", 40}, {"value_max", 100}}},
              {"partitions", kPartitions},
              {"workers", kWorkers},
              {"processing", {{"event_ms", {{"dist", "constant"}, {"mean", 0}}}, {"failover_s", 1}}}};
}

json action(double at_s, const char* what, int worker) {
  return json{{"at_s", at_s}, {"do", what}, {"worker", worker}};
}

sl::StreamScenario scenarioOf(const json& doc) {
  sl::InputError err;
  sl::StreamScenario s = sl::streamScenarioFromJson(doc, err);
  INFO(err.text());
  REQUIRE(err.empty());
  return s;
}

json runToEnd(const json& doc) {
  sl::StreamSimulation sim(scenarioOf(doc));
  sim.run();
  return sim.results();
}

json withoutTimeline(json doc) {
  doc.erase("timeline");
  return doc;
}

// The input events, straight from the source the simulation reads.
std::vector<sl::StreamRecord> sourceEvents(const json& doc) {
  const sl::StreamScenario s = scenarioOf(doc);
  sl::StreamSource source(s.source, s.seed, static_cast<int64_t>(s.duration_s * 1e6));
  std::vector<sl::StreamRecord> out;
  sl::StreamRecord r;
  while (source.next(r)) out.push_back(r);
  return out;
}

int homeWorker(uint32_t key) { return sl::streamPartitionOf(key, kPartitions) % kWorkers; }

bool anyEventAt(const std::vector<sl::StreamRecord>& events, int64_t t_us) {
  return std::any_of(events.begin(), events.end(), [&](const sl::StreamRecord& r) { return r.t_us == t_us; });
}

}  // namespace

namespace {

// Events on worker `w`'s partitions with event time in [from_us, to_us) and a value of at least min_value.
uint64_t eventsOn(const std::vector<sl::StreamRecord>& events, int w, int64_t from_us, int64_t to_us,
                  int64_t min_value = 0) {
  uint64_t n = 0;
  for (const sl::StreamRecord& r : events)
    if (homeWorker(r.key) == w && r.t_us >= from_us && r.t_us < to_us && r.value >= min_value) ++n;
  return n;
}

json statelessPipeline() {
  json doc = baseStream();
  doc["pipeline"] = json::array({{{"op", "filter"}, {"field", "value"}, {"min", 30}},
                                 {{"op", "map"}, {"scale", 3}},
                                 {{"op", "route"}, {"outputs", 4}, {"by", "key"}}});
  return doc;
}

}  // namespace

TEST_CASE("StreamSimulation with a stateless pipeline emits again the events processed since the last commit") {
  const std::string mode = GENERATE(as<std::string>(), "none", "at_least_once");
  INFO("checkpoint mode " << mode);
  json doc = statelessPipeline();
  doc["checkpoint"] = {{"mode", mode}, {"interval_s", 4}, {"pause_ms", 0}, {"entry_us", 0}};
  const json calm = runToEnd(doc);
  // Commits at 4, 8, 12 s; worker 2 crashes at 13.5 s and its partitions resume from 12 s.
  doc["timeline"] = json::array({action(13.5, "kill_worker", 2), action(20, "restart_worker", 2)});
  const json crashed = runToEnd(doc);
  const std::vector<sl::StreamRecord> events = sourceEvents(doc);
  REQUIRE_FALSE(anyEventAt(events, 12000000));
  REQUIRE_FALSE(anyEventAt(events, 13500000));
  // Processing is instantaneous, so "processed since the commit" is "appended since the commit".
  const uint64_t again = eventsOn(events, 2, 12000000, 13500000, 30);
  REQUIRE(again > 20);

  CHECK(calm["events"]["duplicates"] == 0);
  CHECK(crashed["events"]["duplicates"] == again);
  CHECK(crashed["events"]["replayed"] == eventsOn(events, 2, 12000000, 13500000));
  CHECK(crashed["events"]["out"].get<uint64_t>() == calm["events"]["out"].get<uint64_t>() + again);
  CHECK(crashed["output"]["digest"] != calm["output"]["digest"]);

  SECTION("and an idempotent sink drops those repeats: the output equals the crash-free run") {
    doc["sink"] = {{"idempotent", true}};
    const json deduped = runToEnd(doc);
    CHECK(deduped["events"]["duplicates"] == 0);
    CHECK(deduped["events"]["deduplicated"] == again);
    CHECK(deduped["events"]["replayed"] == crashed["events"]["replayed"]);
    CHECK(deduped["output"] == calm["output"]);
    CHECK(deduped["outputs"] == calm["outputs"]);
  }
}

TEST_CASE("StreamSimulation with exactly-once commits gives the crash-free output of a stateless pipeline") {
  json doc = statelessPipeline();
  doc["processing"]["event_ms"] = {{"dist", "constant"}, {"mean", 1}};  // the crash interrupts work in progress
  doc["checkpoint"] = {{"mode", "exactly_once"}, {"interval_s", 4}};
  const json calm = runToEnd(doc);
  doc["timeline"] = json::array({action(12.5, "kill_worker", 2), action(20, "restart_worker", 2)});
  const json crashed = runToEnd(doc);

  uint64_t expected_out = 0;
  int64_t expected_sum = 0;
  for (const sl::StreamRecord& r : sourceEvents(doc)) {
    if (r.value < 30) continue;
    ++expected_out;
    expected_sum += 3 * r.value;
  }
  CHECK(calm["events"]["out"] == expected_out);
  CHECK(calm["output"]["value_sum"] == expected_sum);

  CHECK(crashed["recovery"]["crashes"] == 1);
  CHECK(crashed["events"]["replayed"].get<uint64_t>() > 0);
  // The crash did happen to the events: their partitions waited for the failover second.
  CHECK(crashed["lag_ms"]["max"].get<double>() > calm["lag_ms"]["max"].get<double>() + 900);
  CHECK(crashed["events"]["duplicates"] == 0);
  CHECK(crashed["output"] == calm["output"]);
  CHECK(crashed["outputs"] == calm["outputs"]);
}

TEST_CASE("StreamSimulation without checkpoints loses the open windows of the crashed worker and rebuilds only their events since the commit") {
  json doc = baseStream();
  doc["pipeline"] = json::array({{{"op", "filter"}, {"field", "value"}, {"min", 10}},
                                 {{"op", "window_count"}, {"window_s", 5}}});
  doc["checkpoint"] = {{"mode", "none"}, {"interval_s", 4}, {"pause_ms", 0}, {"entry_us", 0}};
  doc["timeline"] = json::array({action(12.5, "kill_worker", 2), action(20, "restart_worker", 2)});
  const std::vector<sl::StreamRecord> events = sourceEvents(doc);
  REQUIRE_FALSE(anyEventAt(events, 12000000));
  REQUIRE_FALSE(anyEventAt(events, 12500000));

  // At 12.5 s the window [10 s, 15 s) is open; worker 2 holds it for every key of its
  // partitions that had a passing event in [10 s, 12.5 s). Earlier windows were complete.
  std::vector<sl::StreamWindowId> expected;
  std::set<std::pair<uint32_t, int64_t>> all_windows;
  for (const sl::StreamRecord& r : events) {
    if (r.value < 10) continue;
    all_windows.insert({r.key, r.t_us / 5000000});
    if (homeWorker(r.key) == 2 && r.t_us >= 10000000 && r.t_us < 12500000)
      expected.push_back(sl::StreamWindowId{1, r.key, 2});
  }
  std::sort(expected.begin(), expected.end());
  expected.erase(std::unique(expected.begin(), expected.end()), expected.end());
  REQUIRE(expected.size() >= 3);

  sl::StreamSimulation sim(scenarioOf(doc));
  sim.run();
  CHECK(sim.lostWindows() == expected);
  const json r = sim.results();
  CHECK(r["windows"]["lost"] == expected.size());
  CHECK(r["windows"]["reference"] == all_windows.size());
  CHECK(r["windows"]["correct"] == all_windows.size() - expected.size());
  CHECK(r["windows"]["wrong"] == 0);
  CHECK(r["windows"]["missing"] == 0);
  CHECK(r["windows"]["extra"] == 0);
  // The partitions resume from the commit at 12 s: the replay puts back the events since then,
  // so the lost windows come out short by the passing events of [10 s, 12 s) only.
  CHECK(r["events"]["replayed"] == eventsOn(events, 2, 12000000, 12500000));
  CHECK(r["windows"]["reference_value_total"].get<int64_t>() - r["windows"]["value_total"].get<int64_t>() ==
        static_cast<int64_t>(eventsOn(events, 2, 10000000, 12000000, 10)));
}

TEST_CASE("StreamSimulation with exactly-once checkpoints gives the crash-free window results") {
  json doc = baseStream();
  doc["processing"]["event_ms"] = {{"dist", "exponential"}, {"mean", 1}};
  doc["pipeline"] = json::array({{{"op", "map"}, {"scale", 2}},
                                 {{"op", "window_count"}, {"window_s", 5}},
                                 {{"op", "window_sum"}, {"window_s", 3}}});
  doc["checkpoint"] = {{"mode", "exactly_once"}, {"interval_s", 4}, {"pause_ms", 2}, {"entry_us", 1}};
  doc["timeline"] = json::array(
      {action(13.7, "kill_worker", 1), action(17.2, "kill_worker", 3), action(21, "restart_worker", 1)});
  const json calm = runToEnd(withoutTimeline(doc));
  const json crashed = runToEnd(doc);

  // The crash-free run itself, from the source: every window closes by the end (30 s is a
  // multiple of both widths); counts add up to the events, sums to twice the values.
  std::set<std::pair<uint32_t, int64_t>> by5, by3;
  int64_t total = 0;
  for (const sl::StreamRecord& r : sourceEvents(doc)) {
    by5.insert({r.key, r.t_us / 5000000});
    by3.insert({r.key, r.t_us / 3000000});
    total += 1 + 2 * r.value;
  }
  CHECK(calm["windows"]["emitted"] == by5.size() + by3.size());
  CHECK(calm["windows"]["value_total"] == total);

  CHECK(crashed["events"]["replayed"].get<uint64_t>() > 0);
  CHECK(crashed["windows"]["correct"] == calm["windows"]["emitted"]);
  CHECK(crashed["windows"]["emitted"] == calm["windows"]["emitted"]);
  CHECK(crashed["windows"]["value_total"] == calm["windows"]["value_total"]);
  CHECK(crashed["windows"]["wrong"] == 0);
  CHECK(crashed["windows"]["lost"] == 0);
  CHECK(crashed["windows"]["missing"] == 0);
  CHECK(crashed["windows"]["extra"] == 0);
  CHECK(crashed["output"] == calm["output"]);
  CHECK(crashed["events"]["duplicates"] == 0);
}

TEST_CASE("StreamSimulation with at-least-once checkpoints exceeds the crash-free counts by the replayed events") {
  json doc = baseStream();
  doc["pipeline"] = json::array({{{"op", "window_count"}, {"window_s", 5}}});
  doc["checkpoint"] = {{"mode", "at_least_once"}, {"interval_s", 4}, {"pause_ms", 0}, {"entry_us", 0}};
  // Checkpoint at 12 s, windows close at 15 s, crash at 15.5 s: the replay also reopens
  // windows that were already emitted.
  doc["timeline"] = json::array({action(15.5, "kill_worker", 2)});
  const std::vector<sl::StreamRecord> events = sourceEvents(doc);
  REQUIRE_FALSE(anyEventAt(events, 12000000));
  REQUIRE_FALSE(anyEventAt(events, 15500000));
  uint64_t expected_replay = 0;
  for (const sl::StreamRecord& r : events)
    if (homeWorker(r.key) == 2 && r.t_us >= 12000000 && r.t_us < 15500000) ++expected_replay;
  REQUIRE(expected_replay > 50);

  const json calm = runToEnd(withoutTimeline(doc));
  const json crashed = runToEnd(doc);
  CHECK(crashed["events"]["replayed"] == expected_replay);
  CHECK(crashed["windows"]["value_total"].get<int64_t>() - calm["windows"]["value_total"].get<int64_t>() ==
        static_cast<int64_t>(expected_replay));
  CHECK(crashed["events"]["out"].get<uint64_t>() - calm["events"]["out"].get<uint64_t>() == expected_replay);
  CHECK(crashed["events"]["duplicates"] == expected_replay);
  CHECK(crashed["windows"]["lost"] == 0);
  CHECK(crashed["windows"]["wrong"].get<uint64_t>() > 0);
  CHECK(crashed["windows"]["repeats"].get<uint64_t>() > 0);
}

TEST_CASE("StreamSimulation is deterministic: the same seed repeats the run, another seed changes it") {
  sl::InputError err;
  const sl::StreamScenario s = sl::parseStreamScenario(sl::streamScenarioText("stream-window-at-least-once"), err);
  REQUIRE(err.empty());
  sl::StreamSimulation a(s), b(s);
  a.run();
  b.run();
  CHECK(a.results().dump() == b.results().dump());

  sl::StreamScenario other = s;
  other.seed = s.seed + 1;
  sl::StreamSimulation c(other);
  c.run();
  CHECK(c.results()["events"] != a.results()["events"]);
  CHECK(c.results()["output"]["digest"] != a.results()["output"]["digest"]);

  SECTION("and stepping in small increments gives the same results as one run") {
    sl::StreamSimulation stepped(s);
    while (!stepped.finished()) stepped.step(0.25);
    CHECK(stepped.results().dump() == a.results().dump());
  }
}

TEST_CASE("StreamSimulation.trace shows each step's arrivals, processing, checkpoints, crash and replay") {
  sl::InputError err;
  const sl::StreamScenario s = sl::parseStreamScenario(sl::streamScenarioText("stream-window-exactly-once"), err);
  REQUIRE(err.empty());
  sl::StreamSimulation sim(s);
  sim.setTrace(true);
  uint64_t arrive = 0, process = 0, checkpoints = 0, windows = 0;
  std::vector<int> crashed, assigned_to;
  double crash_t = -1;
  while (!sim.finished()) {
    sim.step(0.5);
    const sl::StreamTrace& t = sim.trace();
    REQUIRE(t.dropped == 0);
    for (size_t i = 0; i < t.size(); ++i) {
      switch (static_cast<sl::StreamTraceKind>(t.kind[i])) {
        case sl::StreamTraceKind::Arrive: ++arrive; break;
        case sl::StreamTraceKind::Process: ++process; break;
        case sl::StreamTraceKind::Checkpoint: ++checkpoints; break;
        case sl::StreamTraceKind::Window: ++windows; break;
        case sl::StreamTraceKind::Crash: crashed.push_back(t.worker[i]); crash_t = t.t0[i]; break;
        case sl::StreamTraceKind::Replay: assigned_to.push_back(t.worker[i]); break;
        default: break;
      }
    }
  }
  const json r = sim.results();
  CHECK(arrive == r["events"]["in"].get<uint64_t>());
  CHECK(process == r["events"]["processed"].get<uint64_t>());
  CHECK(checkpoints == r["checkpoints"]["taken"].get<uint64_t>());
  CHECK(windows >= r["windows"]["emitted"].get<uint64_t>());
  CHECK(crashed == std::vector<int>{1});
  CHECK(crash_t == Approx(22.5));
  // Worker 1's partitions (1 and 4 of 6) are replayed on the survivors 0 and 2.
  REQUIRE(assigned_to.size() == 2);
  CHECK(std::find(assigned_to.begin(), assigned_to.end(), 1) == assigned_to.end());

  SECTION("and keeps at most its limit per step, counting the rest as dropped") {
    sim.seek(0);
    sim.setTrace(true, 10);
    sim.step(5);
    CHECK(sim.trace().size() == 10);
    CHECK(sim.trace().dropped > 0);
  }
}

TEST_CASE("StreamSimulation.apply crashes and restarts workers live, and seek forgets later actions") {
  sl::InputError err;
  sl::StreamScenario s = sl::parseStreamScenario(sl::streamScenarioText("stream-window-no-checkpoint"), err);
  REQUIRE(err.empty());
  // A live action lands after everything else due at its moment, a scripted one before: off
  // the series and window boundaries the two are the same.
  REQUIRE(s.timeline.size() == 2);
  REQUIRE(s.timeline[0].at_us == 22500000);
  s.timeline[1].at_us = 40300000;
  sl::StreamSimulation scripted(s);
  scripted.run();

  sl::StreamScenario bare = s;
  bare.timeline.clear();
  sl::StreamSimulation calm(bare);
  calm.run();

  sl::StreamSimulation live(bare);
  live.runUntil(22500000);
  CHECK(live.applyJson(R"({"do": "kill_worker", "worker": 1})").empty());
  CHECK(live.applyJson(R"({"do": "kill_worker", "worker": 1})").text() == "$.worker: worker 1 is already down (got 1)");
  CHECK(live.applyJson(R"({"do": "kill_worker", "worker": 9})").text() ==
        "$.worker: no such worker (workers are numbered 0..2) (got 9)");
  CHECK(live.applyJson(R"({"do": "explode", "worker": 1})").path == "$.do");
  CHECK(!live.worker(1).alive);
  CHECK(live.partition(1).owner == -1);
  live.runUntil(40300000);
  CHECK(live.applyJson(R"({"do": "restart_worker", "worker": 1})").empty());
  live.run();
  CHECK(live.results().dump() == scripted.results().dump());
  CHECK(live.results()["windows"]["lost"].get<uint64_t>() > 0);

  live.seek(10000000);
  CHECK(live.nowUs() == 10000000);
  live.run();
  CHECK(live.results().dump() == calm.results().dump());
}

TEST_CASE("StreamSimulation checkpoints write only the state entries changed since the previous checkpoint") {
  // Many keys, one long window per operator and a checkpoint every 0.1 s: the state grows to
  // thousands of entries while each checkpoint interval touches only a handful of them.
  json doc = baseStream();
  doc["duration_s"] = 100;
  doc["source"] = {{"rate_per_s", 50}, {"keys", 100000}, {"value_max", 100}};
  doc["pipeline"] = json::array({{{"op", "window_count"}, {"window_s", 100}}, {{"op", "window_sum"}, {"window_s", 100}}});
  doc["checkpoint"] = {{"mode", "exactly_once"}, {"interval_s", 0.1}, {"pause_ms", 0}, {"entry_us", 0}};
  const json r = runToEnd(doc);
  const uint64_t events = r["events"]["processed"].get<uint64_t>();
  const uint64_t written = r["checkpoints"]["entries_written"].get<uint64_t>();
  const uint64_t held = r["checkpoints"]["state_entries"].get<uint64_t>();
  REQUIRE(events > 4000);
  CHECK(r["checkpoints"]["taken"] == 1000);
  // Each event changes one entry per window operator, and each entry is removed once when its
  // window closes: at most two writes per event and operator.
  CHECK(written > 0);
  CHECK(written <= 2 * 2 * events);
  // Copying every entry at every checkpoint would have been far more work.
  CHECK(held > 100 * written);
}

TEST_CASE("StreamSimulation.apply refuses a live crash whose replay would pass the run's work limit") {
  // Each crash replays up to a commit interval of events: 2,000/s over 100 s through 9 steps
  // (source, no operators, 8 partitions) is 1.8e6 steps, so the limit admits about a hundred.
  json doc = baseStream();
  doc["duration_s"] = 300;
  doc["source"]["rate_per_s"] = 2000;
  doc["checkpoint"] = {{"mode", "none"}, {"interval_s", 100}};
  const sl::StreamScenario s = scenarioOf(doc);
  const double base = sl::streamCost(s).total();
  const double crash = sl::streamCrashWork(s);
  REQUIRE(crash == 2000.0 * 100 * (1 + 0 + kPartitions));
  // Independently of the simulation: how many crashes fit under the limit.
  int fits = 0;
  while (base + (fits + 1) * crash <= sl::StreamLimits::kMaxWork) ++fits;
  REQUIRE(fits >= 1);
  REQUIRE(fits < 1000);

  sl::StreamSimulation sim(s);
  sim.runUntil(1000000);
  int accepted = 0;
  sl::InputError refused;
  for (int i = 0; i < fits + 5 && refused.empty(); ++i) {
    refused = sim.applyJson(R"({"do": "kill_worker", "worker": 0})");
    if (!refused.empty()) break;
    ++accepted;
    REQUIRE(sim.applyJson(R"({"do": "restart_worker", "worker": 0})").empty());
  }
  CHECK(accepted == fits);
  CHECK(refused.path == "$.do");
  CHECK(refused.message.find("the limit is") != std::string::npos);
  CHECK(sim.worker(0).alive);  // the refused crash changed nothing
}
