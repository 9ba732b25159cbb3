// Writes the fuzzer's seed corpus into a directory: every registered scenario of both models
// (prefixed with the byte that makes the harness parse and run it) and a few live actions.
#include <fstream>
#include <string>
#include <vector>

#include "scenario_registry.h"
#include "stream_registry.h"

namespace {

bool write(const std::string& dir, const std::string& name, char mode, const std::string& text) {
  std::ofstream out(dir + "/" + name, std::ios::binary);
  out << mode << text;
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  const std::string dir = argv[1];
  bool ok = true;
  for (const std::string& name : sl::registeredScenarioNames())
    ok = write(dir, "cluster-" + name, '\0', sl::registeredScenarioText(name)) && ok;
  for (const std::string& name : sl::streamScenarioNames())
    ok = write(dir, "stream-" + name, '\0', sl::streamScenarioText(name)) && ok;
  const std::vector<std::string> actions = {
      R"({"do": "kill_server", "server": 1})", R"({"do": "set_rate", "rate": 1000000})",
      R"({"do": "rolling_restart", "gap_s": 0.5})", R"({"do": "set_policy", "policy": "consistent_hash"})",
      R"({"do": "kill_worker", "worker": 0})", R"({"do": "add_server"})"};
  for (size_t i = 0; i < actions.size(); ++i)
    ok = write(dir, "action-" + std::to_string(i), '\1', actions[i]) && ok;
  return ok ? 0 : 1;
}
