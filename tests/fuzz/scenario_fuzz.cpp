// libFuzzer harness for both scenario parsers and a short run of what they accept.
// Input: any bytes. The first byte picks what to do with the rest:
//   even: scenario text, parsed as the CLI does (cluster or stream); if valid, run briefly;
//   odd:  a live action, applied to a small running simulation of each model.
// The run is clamped (a few thousand expected arrivals), so each input takes milliseconds;
// crashes, leaks and undefined behaviour are found by ASan and UBSan.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "json_reader.h"
#include "scenario.h"
#include "simulation.h"
#include "stream_scenario.h"
#include "stream_simulation.h"

namespace {

/// Simulated microseconds in which about `arrivals` requests arrive at the scenario's peak rate.
int64_t clampedEnd(double peak_rate, int64_t end_us, double arrivals) {
  if (!(peak_rate > 0)) return end_us;
  return std::min<int64_t>(end_us, static_cast<int64_t>(arrivals / peak_rate * 1e6) + 1);
}

void runCluster(const sl::Scenario& s) {
  double peak = s.traffic.rate_per_s;
  for (const sl::Action& a : s.timeline)
    if (a.kind == sl::ActionKind::SetRate) peak = std::max(peak, a.rate);
  sl::Simulation sim(s);
  sim.setTrace(true, 1000);
  const int64_t end = clampedEnd(peak, sim.endUs(), 2000);
  sim.runUntil(end / 2);
  sim.seek(end / 4);
  sim.runUntil(end);
  (void)sim.results().dump();
  (void)sim.series().dump();
}

void runStream(const sl::StreamScenario& s) {
  sl::StreamSimulation sim(s);
  sim.setTrace(true, 1000);
  sim.runUntil(clampedEnd(s.source.rate_per_s, sim.endUs(), 2000));
  (void)sim.results().dump();
}

void scenarioInput(const std::string& text) {
  nlohmann::json doc;
  sl::InputError err;
  if (!sl::parseJsonText(text, doc, err)) return;
  if (sl::isStreamScenario(doc)) {
    const sl::StreamScenario s = sl::streamScenarioFromJson(doc, err);
    if (err.empty()) runStream(s);
  } else {
    const sl::Scenario s = sl::scenarioFromJson(doc, err);
    if (err.empty()) runCluster(s);
  }
  (void)err.text();
}

void actionInput(const std::string& text) {
  sl::InputError err;
  sl::Simulation cluster(sl::parseScenario(R"({"duration_s": 2, "traffic": {"rate_per_s": 500}})", err));
  cluster.runUntil(500000);
  (void)cluster.applyJson(text).text();
  cluster.runUntil(1000000);
  sl::StreamSimulation stream(sl::parseStreamScenario(R"({"kind": "stream", "duration_s": 2})", err));
  stream.runUntil(500000);
  (void)stream.applyJson(text).text();
  stream.runUntil(1000000);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0) scenarioInput(text);
  else actionInput(text);
  return 0;
}
