// Scenario parsing: defaults, round trips and at least 25 kinds of bad input, each refused
// with the JSON path of what is wrong and exit code 2 from the command line.
#include <catch2/catch.hpp>

#include <string>

#include "command_line.h"
#include "scenario.h"
#include "scenario_registry.h"

namespace {

struct Outcome {
  int code;
  std::string out, err;
};

Outcome cli(std::vector<std::string> args, const std::string& file_text = "") {
  Outcome o;
  o.code = sl::runCommandLine(
      args,
      [&](const std::string& path, std::string& contents) {
        if (path != "scenario.json") return false;
        contents = file_text;
        return true;
      },
      o.out, o.err);
  return o;
}

}  // namespace

TEST_CASE("parseScenario fills defaults for an empty object", "[scenario]") {
  sl::InputError err;
  const sl::Scenario s = sl::parseScenario("{}", err);
  CHECK(err.empty());
  CHECK(s.servers.count == 4);
  CHECK(s.session.mode == sl::SessionMode::None);
  CHECK(s.policy == sl::Policy::RoundRobin);
}

TEST_CASE("scenarioToJson round-trips through parseScenario for every registered scenario", "[scenario]") {
  for (const std::string& name : sl::registeredScenarioNames()) {
    sl::InputError err;
    const sl::Scenario s = sl::parseScenario(sl::registeredScenarioText(name), err);
    INFO(name << ": " << err.text());
    REQUIRE(err.empty());
    const std::string once = sl::scenarioToJson(s).dump();
    const sl::Scenario again = sl::parseScenario(once, err);
    REQUIRE(err.empty());
    CHECK(sl::scenarioToJson(again).dump() == once);
  }
}

TEST_CASE("parseScenario sorts the timeline by time and keeps equal times in order", "[scenario]") {
  sl::InputError err;
  const sl::Scenario s = sl::parseScenario(
      R"({"timeline": [{"at_s": 30, "do": "store_up"}, {"at_s": 10, "do": "store_down"},
                       {"at_s": 30, "do": "add_server"}]})", err);
  REQUIRE(err.empty());
  CHECK(s.timeline[0].kind == sl::ActionKind::StoreDown);
  CHECK(s.timeline[1].kind == sl::ActionKind::StoreUp);
  CHECK(s.timeline[2].kind == sl::ActionKind::AddServer);
}

TEST_CASE("stateless-lab refuses each malformed scenario with its JSON path and exit code 2", "[scenario][errors]") {
  struct Bad {
    const char* text;
    const char* path;  // the message must start with "error: <path>: "
  };
  const std::string deep = std::string(200, '[') + std::string(200, ']');
  const std::string deep_object = "{\"traffic\": " + std::string(100, '[') + std::string(100, ']') + "}";
  const Bad cases[] = {
      {"this is not json", "$"},
      {"{\"seed\": 1,", "$"},
      {"", "$"},
      {"[1, 2, 3]", "$"},
      {"42", "$"},
      {deep.c_str(), "$"},
      {deep_object.c_str(), "$"},
      {R"({"seed": "one"})", "$.seed"},
      {R"({"seed": -1})", "$.seed"},
      {R"({"seed": 1.5})", "$.seed"},
      {R"({"seed": 18446744073709551615})", "$.seed"},
      {R"({"duration_s": 0})", "$.duration_s"},
      {R"({"duration_s": -5})", "$.duration_s"},
      {R"({"duration_s": 1e400})", "$"},  // out of double range: not parsed as a number
      {R"({"duration_s": "NaN"})", "$.duration_s"},
      {R"({"duration_s": null})", "$.duration_s"},
      {R"({"duration_s": 10, "warmup_s": 10})", "$.warmup_s"},
      {R"({"traffic": {"users": 0}})", "$.traffic.users"},
      {R"({"traffic": {"users": 5000000}})", "$.traffic.users"},
      {R"({"traffic": {"rate_per_s": -1}})", "$.traffic.rate_per_s"},
      {R"({"traffic": {"rate_per_s": 1000000, "users": 10}, "duration_s": 1000})", "$.traffic.rate_per_s"},
      {R"({"traffic": [1]})", "$.traffic"},
      {R"({"traffic": {"rate": 10}})", "$.traffic.rate"},
      {R"({"balancer": {"policy": "fastest"}})", "$.balancer.policy"},
      {R"({"balancer": {"policy": 3}})", "$.balancer.policy"},
      {R"({"servers": {"count": 0}})", "$.servers.count"},
      {R"({"servers": {"count": 100000}})", "$.servers.count"},
      {R"({"servers": {"workers": true}})", "$.servers.workers"},
      {R"({"servers": {"service_ms": {"dist": "pareto", "mean": 10}}})", "$.servers.service_ms.dist"},
      {R"({"servers": {"service_ms": {"dist": "exponential"}}})", "$.servers.service_ms"},
      {R"({"servers": {"service_ms": {"mean": 0}}})", "$.servers.service_ms.mean"},
      {R"({"session": {"mode": "cookies"}})", "$.session.mode"},
      {R"({"store": {"workers": 0}})", "$.store.workers"},
      {R"({"token": {"ttl_s": 0}})", "$.token.ttl_s"},
      {R"({"token": {"deny_list": "yes"}})", "$.token.deny_list"},
      {R"({"autoscaler": {"min": 5, "max": 2}})", "$.autoscaler.min"},
      {R"({"autoscaler": {"target_utilization": 1.5}})", "$.autoscaler.target_utilization"},
      {R"({"timeline": {"at_s": 1}})", "$.timeline"},
      {R"({"timeline": [42]})", "$.timeline[0]"},
      {R"({"timeline": [{"at_s": 5, "do": "explode"}]})", "$.timeline[0].do"},
      {R"({"timeline": [{"do": "store_down"}]})", "$.timeline[0]"},
      {R"({"timeline": [{"at_s": 5}]})", "$.timeline[0]"},
      {R"({"duration_s": 60, "timeline": [{"at_s": 61, "do": "store_down"}]})", "$.timeline[0].at_s"},
      {R"({"timeline": [{"at_s": -1, "do": "store_down"}]})", "$.timeline[0].at_s"},
      {R"({"timeline": [{"at_s": 5, "do": "kill_server"}]})", "$.timeline[0]"},
      {R"({"timeline": [{"at_s": 1, "do": "store_up"}, {"at_s": 5, "do": "kill_server", "server": 4}]})", "$.timeline[1].server"},
      {R"({"timeline": [{"at_s": 5, "do": "revoke_user", "user": 1000}]})", "$.timeline[0].user"},
      {R"({"timeline": [{"at_s": 5, "do": "set_rate", "rate": -3}]})", "$.timeline[0].rate"},
      {R"({"timeline": [{"at_s": 5, "do": "set_policy", "policy": "best"}]})", "$.timeline[0].policy"},
      {R"({"colour": "blue"})", "$.colour"},
  };
  STATIC_REQUIRE(sizeof(cases) / sizeof(cases[0]) >= 25);
  for (const Bad& b : cases) {
    const Outcome o = cli({"run", "scenario.json"}, b.text);
    INFO("input: " << std::string(b.text).substr(0, 80) << "\nstderr: " << o.err);
    CHECK(o.code == 2);
    CHECK(o.out.empty());
    CHECK(o.err.rfind(std::string("error: ") + b.path + ": ", 0) == 0);
    CHECK(o.err.back() == '\n');
    CHECK(o.err.find('\n') == o.err.size() - 1);  // one line
  }
}

TEST_CASE("stateless-lab error messages name the offending value", "[scenario][errors]") {
  const Outcome o = cli({"run", "scenario.json"}, R"({"servers": {"count": -3}})");
  CHECK(o.err == "error: $.servers.count: must be at least 1 (got -3)\n");
  const Outcome p = cli({"run", "scenario.json"}, R"({"balancer": {"policy": "fastest"}})");
  CHECK(p.err.find("(got \"fastest\")") != std::string::npos);
  CHECK(p.err.find("round_robin") != std::string::npos);  // says what would be accepted
}

TEST_CASE("stateless-lab refuses bad usage with exit code 2", "[cli]") {
  CHECK(cli({}).code == 2);
  CHECK(cli({"fly"}).code == 2);
  CHECK(cli({"run"}).code == 2);
  CHECK(cli({"run", "missing.json"}).err == "error: missing.json: cannot read file\n");
  CHECK(cli({"run", "--builtin", "nope"}).code == 2);
  CHECK(cli({"run", "--builtin", "mm1", "--seed", "abc"}).err.rfind("error: --seed: ", 0) == 0);
  CHECK(cli({"run", "--builtin", "mm1", "--seed", "-4"}).code == 2);
  CHECK(cli({"run", "--builtin", "mm1", "--frobnicate"}).code == 2);
  CHECK(cli({"run", "--builtin"}).code == 2);
}

TEST_CASE("stateless-lab run --builtin prints the same results as the scenario's file", "[cli]") {
  const std::string text = sl::registeredScenarioText("token-revocation");
  const Outcome a = cli({"run", "--builtin", "token-revocation"});
  const Outcome b = cli({"run", "scenario.json"}, text);
  CHECK(a.code == 0);
  CHECK(a.err.empty());
  CHECK(a.out == b.out);
  CHECK(nlohmann::json::parse(a.out)["requests"]["arrived"].get<int>() > 0);
}

TEST_CASE("stateless-lab --seed overrides the scenario's seed", "[cli]") {
  const Outcome a = cli({"run", "--builtin", "mm1"});
  const Outcome b = cli({"run", "--builtin", "mm1", "--seed", "99"});
  const Outcome c = cli({"run", "--builtin", "mm1", "--seed", "7"});  // mm1's own seed
  CHECK(a.out != b.out);
  CHECK(a.out == c.out);
  CHECK(nlohmann::json::parse(b.out)["seed"].get<int>() == 99);
}

TEST_CASE("stateless-lab validate, list and show", "[cli]") {
  CHECK(cli({"validate", "scenario.json"}, "{}").out == "ok\n");
  const Outcome l = cli({"list"});
  for (const std::string& n : sl::registeredScenarioNames()) CHECK(l.out.find(n + "\t") != std::string::npos);
  CHECK(cli({"show", "mm1"}).out == std::string(sl::registeredScenarioText("mm1")) + "\n");
}

TEST_CASE("stateless-lab runs and validates stream scenarios through the same commands", "[cli]") {
  const Outcome a = cli({"run", "--builtin", "stream-stateless-crash"});
  CHECK(a.code == 0);
  CHECK(nlohmann::json::parse(a.out)["kind"] == "stream");
  CHECK(cli({"list"}).out.find("stream-window-exactly-once\t") != std::string::npos);
  CHECK(cli({"validate", "scenario.json"}, R"({"kind": "stream"})").out == "ok\n");
  const Outcome bad = cli({"run", "scenario.json"}, R"({"kind": "stream", "partitions": 0})");
  CHECK(bad.code == 2);
  CHECK(bad.err.rfind("error: $.partitions: ", 0) == 0);
  const Outcome seeded = cli({"run", "--builtin", "stream-stateless-crash", "--seed", "3"});
  CHECK(nlohmann::json::parse(seeded.out)["seed"].get<int>() == 3);
}
