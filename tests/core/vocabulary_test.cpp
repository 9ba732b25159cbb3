#include <catch2/catch.hpp>

#include <algorithm>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "balancer.h"
#include "random.h"
#include "scenario.h"
#include "simulation.h"
#include "stream_scenario.h"
#include "vocabulary.h"

using nlohmann::json;
using sl::InputError;

namespace {

/// A valid cluster scenario with `patch` merged in.
json cluster(const json& patch) {
  json doc = {{"duration_s", 10}, {"servers", {{"count", 2}}}, {"traffic", {{"users", 10}, {"rate_per_s", 10}}}};
  doc.merge_patch(patch);
  return doc;
}

/// A valid stream scenario with `patch` merged in.
json stream(const json& patch) {
  json doc = {{"kind", "stream"}, {"duration_s", 10}, {"workers", 2}, {"partitions", 2},
              {"source", {{"rate_per_s", 10}, {"keys", 4}}},
              {"pipeline", json::array({{{"op", "window_count"}, {"window_s", 5}}})}};
  doc.merge_patch(patch);
  return doc;
}

/// The fields an action of this name needs besides at_s and do (values valid for cluster()).
json actionFields(const std::string& name) {
  const sl::ActionKind k = static_cast<sl::ActionKind>(
      std::find(std::begin(sl::kActionNames), std::end(sl::kActionNames), name) - std::begin(sl::kActionNames));
  switch (k) {
    case sl::ActionKind::KillServer:
    case sl::ActionKind::RestartServer:
    case sl::ActionKind::RemoveServer: return {{"server", 1}};
    case sl::ActionKind::RevokeUser: return {{"user", 3}};
    case sl::ActionKind::SetRate: return {{"rate", 20}};
    case sl::ActionKind::SetPolicy: return {{"policy", sl::kPolicyNames[0]}};
    case sl::ActionKind::SetSessionMode: return {{"mode", sl::kSessionModeNames[0]}};
    default: return json::object();
  }
}

/// The fields an operator of this kind needs besides op.
json operatorFields(sl::StreamOpKind k) {
  switch (k) {
    case sl::StreamOpKind::Filter: return {{"min", 1}};
    case sl::StreamOpKind::Map: return {{"scale", 2}};
    case sl::StreamOpKind::Route: return json::object();
    default: return {{"window_s", 5}};
  }
}

template <size_t N>
void requireDistinctNames(const char* const (&names)[N]) {
  std::set<std::string> seen;
  for (const char* n : names) {
    REQUIRE(n != nullptr);
    CHECK(std::string(n).size() > 0);
    CHECK(seen.insert(n).second);
  }
}

}  // namespace

TEST_CASE("Vocabulary tables hold distinct, non-empty names", "[vocabulary]") {
  requireDistinctNames(sl::kPolicyNames);
  requireDistinctNames(sl::kSessionModeNames);
  requireDistinctNames(sl::kActionNames);
  requireDistinctNames(sl::kDistNames);
  requireDistinctNames(sl::kTraceKindNames);
  requireDistinctNames(sl::kOutcomeNames);
  requireDistinctNames(sl::kReasonNames);
  requireDistinctNames(sl::kStreamOpNames);
  requireDistinctNames(sl::kStreamFieldNames);
  requireDistinctNames(sl::kCheckpointModeNames);
  requireDistinctNames(sl::kStreamActionNames);
  requireDistinctNames(sl::kStreamTraceKindNames);
}

TEST_CASE("Vocabulary policy names each parse to their own index and serialise back", "[vocabulary]") {
  for (size_t i = 0; i < std::size(sl::kPolicyNames); ++i) {
    const std::string name = sl::kPolicyNames[i];
    InputError err;
    const sl::Scenario s = sl::scenarioFromJson(cluster({{"balancer", {{"policy", name}}}}), err);
    INFO(name << ": " << err.text());
    REQUIRE(err.empty());
    CHECK(static_cast<size_t>(s.policy) == i);
    CHECK(sl::scenarioToJson(s)["balancer"]["policy"] == name);
  }
}

TEST_CASE("Vocabulary session modes and distributions each parse to their own index and serialise back", "[vocabulary]") {
  for (size_t i = 0; i < std::size(sl::kSessionModeNames); ++i) {
    const std::string name = sl::kSessionModeNames[i];
    InputError err;
    const sl::Scenario s = sl::scenarioFromJson(cluster({{"session", {{"mode", name}}}}), err);
    INFO(name << ": " << err.text());
    REQUIRE(err.empty());
    CHECK(static_cast<size_t>(s.session.mode) == i);
    CHECK(sl::scenarioToJson(s)["session"]["mode"] == name);
  }
  for (size_t i = 0; i < std::size(sl::kDistNames); ++i) {
    const std::string name = sl::kDistNames[i];
    InputError err;
    const sl::Scenario s = sl::scenarioFromJson(cluster({{"servers", {{"service_ms", {{"dist", name}, {"mean", 5}}}}}}), err);
    INFO(name << ": " << err.text());
    REQUIRE(err.empty());
    CHECK(static_cast<size_t>(s.servers.service.kind) == i);
    CHECK(sl::scenarioToJson(s)["servers"]["service_ms"]["dist"] == name);
  }
}

TEST_CASE("Vocabulary action names each parse to their own kind in a timeline and serialise back", "[vocabulary]") {
  for (size_t i = 0; i < std::size(sl::kActionNames); ++i) {
    const std::string name = sl::kActionNames[i];
    json action = actionFields(name);
    action["at_s"] = 1;
    action["do"] = name;
    InputError err;
    const sl::Scenario s = sl::scenarioFromJson(cluster({{"timeline", json::array({action})}}), err);
    INFO(name << ": " << err.text());
    REQUIRE(err.empty());
    REQUIRE(s.timeline.size() == 1);
    CHECK(static_cast<size_t>(s.timeline[0].kind) == i);
    CHECK(sl::actionToJson(s.timeline[0])["do"] == name);
  }
}

TEST_CASE("Vocabulary rolling_restart is a timeline action whose gap_s the parser reads", "[vocabulary]") {
  InputError err;
  const sl::Scenario s = sl::scenarioFromJson(
      cluster({{"timeline", json::array({{{"at_s", 1}, {"do", "rolling_restart"}, {"gap_s", 2.5}}})}}), err);
  REQUIRE(err.empty());
  REQUIRE(s.timeline.size() == 1);
  CHECK(s.timeline[0].kind == sl::ActionKind::RollingRestart);
  CHECK(s.timeline[0].gap_s == 2.5);
}

TEST_CASE("Vocabulary stream operators, fields, checkpoint modes and stream actions each round-trip", "[vocabulary]") {
  for (size_t i = 0; i < std::size(sl::kStreamOpNames); ++i) {
    const std::string name = sl::kStreamOpNames[i];
    json op = operatorFields(static_cast<sl::StreamOpKind>(i));
    op["op"] = name;
    InputError err;
    const sl::StreamScenario s = sl::streamScenarioFromJson(stream({{"pipeline", json::array({op})}}), err);
    INFO(name << ": " << err.text());
    REQUIRE(err.empty());
    REQUIRE(s.pipeline.size() == 1);
    CHECK(static_cast<size_t>(s.pipeline[0].kind) == i);
    CHECK(sl::streamScenarioToJson(s)["pipeline"][0]["op"] == name);
  }
  for (size_t i = 0; i < std::size(sl::kStreamFieldNames); ++i) {
    const std::string name = sl::kStreamFieldNames[i];
    InputError err;
    const sl::StreamScenario s = sl::streamScenarioFromJson(
        stream({{"pipeline", json::array({{{"op", "filter"}, {"field", name}, {"min", 1}}})}}), err);
    INFO(name << ": " << err.text());
    REQUIRE(err.empty());
    CHECK(static_cast<size_t>(s.pipeline[0].field) == i);
    CHECK(sl::streamScenarioToJson(s)["pipeline"][0]["field"] == name);
  }
  for (size_t i = 0; i < std::size(sl::kCheckpointModeNames); ++i) {
    const std::string name = sl::kCheckpointModeNames[i];
    InputError err;
    const sl::StreamScenario s = sl::streamScenarioFromJson(stream({{"checkpoint", {{"mode", name}}}}), err);
    INFO(name << ": " << err.text());
    REQUIRE(err.empty());
    CHECK(static_cast<size_t>(s.checkpoint.mode) == i);
    CHECK(sl::streamScenarioToJson(s)["checkpoint"]["mode"] == name);
  }
  for (size_t i = 0; i < std::size(sl::kStreamActionNames); ++i) {
    const std::string name = sl::kStreamActionNames[i];
    // A worker is killed first so that every action has something to act on; the named one is last.
    json timeline = json::array({{{"at_s", 1}, {"do", "kill_worker"}, {"worker", 1}}});
    if (name != "kill_worker") timeline.push_back({{"at_s", 2}, {"do", name}, {"worker", 1}});
    InputError err;
    const sl::StreamScenario s = sl::streamScenarioFromJson(stream({{"timeline", timeline}}), err);
    INFO(name << ": " << err.text());
    REQUIRE(err.empty());
    REQUIRE(s.timeline.size() == timeline.size());
    CHECK(static_cast<size_t>(s.timeline.back().kind) == i);
    CHECK(sl::streamScenarioToJson(s)["timeline"][timeline.size() - 1]["do"] == name);
  }
}

TEST_CASE("Vocabulary parser refuses a name outside a table and lists the whole table", "[vocabulary]") {
  InputError err;
  sl::scenarioFromJson(cluster({{"balancer", {{"policy", "fastest"}}}}), err);
  REQUIRE_FALSE(err.empty());
  CHECK(err.path == "$.balancer.policy");
  for (const char* name : sl::kPolicyNames) CHECK(err.message.find(name) != std::string::npos);
}

TEST_CASE("Vocabulary JSON gives every table under its JavaScript name, in enum order", "[vocabulary]") {
  const json v = sl::vocabularyJson();
  auto same = [&v](const char* key, auto& table) {
    INFO(key);
    REQUIRE(v.contains(key));
    REQUIRE(v[key].size() == std::size(table));
    for (size_t i = 0; i < std::size(table); ++i) CHECK(v[key][i] == table[i]);
  };
  same("policies", sl::kPolicyNames);
  same("sessionModes", sl::kSessionModeNames);
  same("actions", sl::kActionNames);
  same("distributions", sl::kDistNames);
  same("traceKinds", sl::kTraceKindNames);
  same("outcomes", sl::kOutcomeNames);
  same("reasons", sl::kReasonNames);
  same("streamOperators", sl::kStreamOpNames);
  same("streamFields", sl::kStreamFieldNames);
  same("checkpointModes", sl::kCheckpointModeNames);
  same("streamActions", sl::kStreamActionNames);
  same("streamTraceKinds", sl::kStreamTraceKindNames);
  // One list derived from a table: the operators whose StreamOperatorDef is stateful.
  REQUIRE(v.contains("statefulStreamOperators"));
  for (size_t k = 0; k < std::size(sl::kStreamOpNames); ++k) {
    sl::StreamOperatorDef op;
    op.kind = static_cast<sl::StreamOpKind>(k);
    const bool listed = std::find(v["statefulStreamOperators"].begin(), v["statefulStreamOperators"].end(),
                                  sl::kStreamOpNames[k]) != v["statefulStreamOperators"].end();
    CHECK(listed == op.stateful());
  }
  CHECK(v.size() == 15);
  // Codes the core writes into traces are the indexes of these names.
  CHECK(v["reasons"][sl::kReasonServerDied] == "server_died");
  CHECK(v["traceKinds"][static_cast<int>(sl::TraceKind::Action)] == "action");
}

TEST_CASE("kPolicyPinsUsers marks exactly the policies whose balancer sends all of a user's requests to one server",
          "[vocabulary]") {
  for (size_t k = 0; k < std::size(sl::kPolicyNames); ++k) {
    INFO(sl::kPolicyNames[k]);
    sl::Balancer b(static_cast<sl::Policy>(k), 50);
    for (int id = 0; id < 4; ++id) b.setInRotation(id, true);
    std::vector<int> inflight(4, 0);
    sl::Random rng(7);
    bool pinned = true;
    for (uint32_t user = 0; user < 50; ++user) {
      const int first = b.pick(user, inflight, rng);
      for (int i = 0; i < 20; ++i) {
        const int next = b.pick(user, inflight, rng);
        pinned = pinned && next == first;
        // Load-aware policies see the request they placed, so they too have a reason to move on.
        ++inflight[static_cast<size_t>(next)];
      }
    }
    CHECK(sl::kPolicyPinsUsers[k] == pinned);
  }
}

TEST_CASE("kSessionModeTraits in_server_memory holds for exactly the modes whose servers end a run holding sessions",
          "[vocabulary]") {
  for (size_t k = 0; k < std::size(sl::kSessionModeNames); ++k) {
    INFO(sl::kSessionModeNames[k]);
    sl::Scenario s;
    s.duration_s = 20;
    s.traffic.users = 100;
    s.traffic.rate_per_s = 50;
    s.servers.count = 3;
    s.session.mode = static_cast<sl::SessionMode>(k);
    sl::Simulation sim(s);
    sim.run();
    int64_t held = 0;
    for (int id = 0; id < 3; ++id) held += sim.server(id).sessions;
    CHECK(sl::kSessionModeTraits[k].in_server_memory == (held > 0));
  }
}

TEST_CASE("kSessionModeTraits give every mode its own words and a credential of none, cookie or token",
          "[vocabulary]") {
  std::set<std::string> where, served;
  for (const sl::SessionModeTraits& t : sl::kSessionModeTraits) {
    CHECK(where.insert(t.where).second);
    CHECK(served.insert(t.served).second);
    CHECK(std::string(t.store).size() > 0);
    const std::string c = t.credential;
    CHECK((c == "none" || c == "cookie" || c == "token"));
  }
}

TEST_CASE("Vocabulary JSON gives each session mode's traits under its name and lists the sticky policies", "[vocabulary]") {
  const json v = sl::vocabularyJson();
  REQUIRE(v["sessionModeTraits"].size() == std::size(sl::kSessionModeNames));
  for (size_t k = 0; k < std::size(sl::kSessionModeNames); ++k) {
    const json& t = v["sessionModeTraits"][sl::kSessionModeNames[k]];
    INFO(sl::kSessionModeNames[k]);
    CHECK(t["where"] == sl::kSessionModeTraits[k].where);
    CHECK(t["served"] == sl::kSessionModeTraits[k].served);
    CHECK(t["credential"] == sl::kSessionModeTraits[k].credential);
    CHECK(t["store"] == sl::kSessionModeTraits[k].store);
    CHECK(t["inServerMemory"] == sl::kSessionModeTraits[k].in_server_memory);
  }
  json sticky = json::array();
  for (size_t k = 0; k < std::size(sl::kPolicyNames); ++k) {
    if (sl::kPolicyPinsUsers[k]) sticky.push_back(sl::kPolicyNames[k]);
  }
  CHECK(v["stickyPolicies"] == sticky);
  CHECK(sticky.size() == 3);
}
