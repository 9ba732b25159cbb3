#include "command_line.h"

#include <cstdlib>

#include "json_reader.h"
#include "scenario.h"
#include "scenario_registry.h"
#include "simulation.h"
#include "stream_registry.h"
#include "stream_simulation.h"

namespace sl {

namespace {

const char* kUsage =
    "usage: stateless-lab <command> [options]\n"
    "\n"
    "commands:\n"
    "  run FILE [--seed N]            run a scenario file, print results JSON\n"
    "  run --builtin NAME [--seed N]  run a registered scenario\n"
    "  validate FILE | --builtin NAME check a scenario, print \"ok\"\n"
    "  show NAME                      print a registered scenario's JSON\n"
    "  list                           list registered scenarios\n"
    "  help                           this text\n"
    "\n"
    "Invalid input prints `error: <json path>: <what is wrong> (got <value>)` and exits 2.\n";

int fail(std::string& err, const std::string& message) {
  err += "error: " + message + "\n";
  return 2;
}

bool parseSeed(const std::string& text, uint64_t& seed) {
  if (text.empty() || text.size() > 16) return false;
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  if (v > (uint64_t{1} << 53) - 1) return false;
  seed = v;
  return true;
}

}  // namespace

int runCommandLine(const std::vector<std::string>& args, const FileReader& readFile, std::string& out,
                   std::string& err) {
  if (args.empty()) {
    err += kUsage;
    return 2;
  }
  const std::string& cmd = args[0];
  if (cmd == "help" || cmd == "--help" || cmd == "-h") {
    out += kUsage;
    return 0;
  }
  if (cmd == "list") {
    for (const std::string& name : registeredScenarioNames()) {
      InputError e;
      const Scenario s = parseScenario(registeredScenarioText(name), e);
      out += name + "\t" + s.title + "\n";
    }
    for (const std::string& name : streamScenarioNames()) {
      InputError e;
      const StreamScenario s = parseStreamScenario(streamScenarioText(name), e);
      out += name + "\t" + s.title + "\n";
    }
    return 0;
  }
  if (cmd == "show") {
    if (args.size() != 2) return fail(err, "usage: stateless-lab show NAME");
    const char* text = registeredScenarioText(args[1]);
    const std::string stream_text = text ? std::string() : streamScenarioText(args[1]);
    if (!stream_text.empty()) text = stream_text.c_str();
    if (!text) return fail(err, "no registered scenario named \"" + printable(args[1], 60) + "\" (see stateless-lab list)");
    out += std::string(text) + "\n";
    return 0;
  }
  if (cmd != "run" && cmd != "validate")
    return fail(err, "unknown command \"" + printable(cmd, 60) + "\" (try: run, validate, show, list, help)");

  std::string file, builtin, text;
  bool have_seed = false;
  uint64_t seed = 0;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--builtin" || a == "--seed") {
      if (i + 1 >= args.size()) return fail(err, a + ": needs a value");
      const std::string& v = args[++i];
      if (a == "--builtin") {
        builtin = v;
      } else {
        if (!parseSeed(v, seed))
          return fail(err, "--seed: must be a whole number from 0 to 9007199254740991 (got " + printable(v, 60) + ")");
        have_seed = true;
      }
    } else if (!a.empty() && a[0] == '-' && a != "-") {
      return fail(err, "unknown option \"" + printable(a, 60) + "\"");
    } else if (file.empty()) {
      file = a;
    } else {
      return fail(err, "more than one scenario given (\"" + printable(file, 60) + "\" and \"" + printable(a, 60) + "\")");
    }
  }
  if (file.empty() == builtin.empty())
    return fail(err, "give either a scenario FILE or --builtin NAME");
  if (!builtin.empty()) {
    const char* t = registeredScenarioText(builtin);
    if (t) text = t;
    else text = streamScenarioText(builtin);
    if (text.empty())
      return fail(err, "--builtin: no registered scenario named \"" + printable(builtin, 60) + "\" (see stateless-lab list)");
  } else if (!readFile(file, text)) {
    return fail(err, printable(file, 200) + ": cannot read file");
  }

  // Parsed once; the text is freed before the run (a parsed document is the bigger copy).
  InputError e;
  nlohmann::json doc;
  if (!parseJsonText(text, doc, e)) return fail(err, e.text());
  std::string().swap(text);
  // "kind": "stream" selects the stream model; everything else is the cluster model.
  if (isStreamScenario(doc)) {
    if (cmd == "validate") {
      streamScenarioFromJson(doc, e);
      if (!e.empty()) return fail(err, e.text());
      out += "ok\n";
      return 0;
    }
    const nlohmann::json results = runStreamScenario(doc, have_seed ? &seed : nullptr, e);
    if (!e.empty()) return fail(err, e.text());
    out += results.dump(2) + "\n";
    return 0;
  }
  Scenario scenario = scenarioFromJson(doc, e);
  doc = nullptr;
  if (!e.empty()) return fail(err, e.text());
  if (cmd == "validate") {
    out += "ok\n";
    return 0;
  }
  if (have_seed) scenario.seed = seed;
  out += runScenario(scenario).dump(2) + "\n";
  return 0;
}

}  // namespace sl
