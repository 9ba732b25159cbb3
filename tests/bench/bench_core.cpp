// Requests simulated per CPU second by the native core on the benchmark scenarios (best of
// SL_BENCH_REPEAT runs, default 3), and memory over 1e7 requests. The comparison with the tuned
// models and with WebAssembly is tests/bench/wasm-vs-native.mjs.
//
//   build/native/tests/bench/bench_core [tests/bench/scenarios/*.json]
//   build/native/tests/bench/bench_core --theory     simulation next to queueing theory
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <sstream>
#include <vector>

#include "../queueing_theory.h"
#include "scenario.h"
#include "simulation.h"

namespace {

/// CPU seconds used by this process so far (steadier than wall time on a shared machine).
double cpuSeconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

/// Memory over a long run: the simulation's growable buffers after each tenth of scenario (a),
/// about 1e6 requests apart. Target: flat once warm (nothing grows per request).
void memoryTable(const sl::Scenario& s) {
  sl::Simulation sim(s);
  std::printf("\nmemory over %s (target: flat after the first tenth, under 1%% growth)\n%12s %14s\n", s.name.c_str(), "requests",
              "footprint");
  size_t first = 0, last = 0;
  for (int k = 1; k <= 10; ++k) {
    sim.runUntil(sim.endUs() / 10 * k + (k == 10 ? sim.endUs() % 10 : 0));
    last = sim.footprintBytes();
    if (k == 1) first = last;
    std::printf("%12llu %11.2f MB\n", static_cast<unsigned long long>(sim.arrived()), static_cast<double>(last) / 1e6);
  }
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  // Flat: under 1% growth over the last nine tenths. What does grow is the per-interval series
  // (one point per series_interval_s of simulated time, by design) and a server queue's ring
  // when it reaches a new longest queue.
  const double growth = static_cast<double>(last) / static_cast<double>(first) - 1;
  std::printf("memory flat: %s (footprint %.2f MB at 1/10, %.2f MB at the end, +%.2f%%; peak RSS %.1f MB)\n",
              growth < 0.01 ? "yes" : "NO", static_cast<double>(first) / 1e6, static_cast<double>(last) / 1e6,
              100 * growth, static_cast<double>(ru.ru_maxrss) / 1e3);
}

}  // namespace

/// Theory next to simulation: mean and p99 latency of M/M/1 and M/M/4 servers.
void theoryTable() {
  std::printf("\n%-8s %5s %10s %12s %12s %7s %12s %12s %7s\n", "queue", "load", "requests", "W theory", "W sim",
              "err", "p99 theory", "p99 sim", "err");
  for (int workers : {1, 4}) {
    for (double load : {0.5, 0.7, 0.9}) {
      const double requests = workers == 1 && load > 0.8 ? 1e7 : load > 0.8 ? 4e6 : load > 0.6 ? 2e6 : 1e6;
      const sl::Scenario s = sltest::queueScenario(4, workers, load, requests);
      const auto r = sl::runScenario(s);
      const sltest::Theory t = sltest::mmc(s.traffic.rate_per_s / 4, 100.0, workers);
      const double w = r["latency_ms"]["mean"].get<double>(), p = r["latency_ms"]["p99"].get<double>();
      std::printf("M/M/%-4d %5.1f %10.0f %9.3f ms %9.3f ms %6.2f%% %9.3f ms %9.3f ms %6.2f%%\n", workers, load,
                  r["requests"]["arrived"].get<double>(), t.mean_s * 1e3, w, 100 * sltest::relErr(w, t.mean_s * 1e3),
                  t.p99_s * 1e3, p, 100 * sltest::relErr(p, t.p99_s * 1e3));
    }
  }
}

int main(int argc, char** argv) {
  std::vector<std::string> files(argv + 1, argv + argc);
  const bool theory = !files.empty() && files[0] == "--theory";
  if (theory) {
    theoryTable();
    return 0;
  }
  if (files.empty())
    files = {"tests/bench/scenarios/a-none-round-robin.json", "tests/bench/scenarios/b-sticky-memory.json",
             "tests/bench/scenarios/c-shared-store.json"};
  const int repeat = std::max(1, std::atoi(std::getenv("SL_BENCH_REPEAT") ? std::getenv("SL_BENCH_REPEAT") : "3"));
  std::printf("native core, best of %d; CPU seconds\n%-34s %12s %10s %14s %12s\n", repeat, "scenario", "requests",
              "seconds", "requests/s", "footprint");
  std::vector<sl::Scenario> scenarios;
  for (const std::string& f : files) {
    std::ifstream in(f);
    std::stringstream buf;
    buf << in.rdbuf();
    sl::InputError err;
    scenarios.push_back(sl::parseScenario(buf.str(), err));
    if (!err.empty()) {
      std::fprintf(stderr, "error: %s: %s\n", f.c_str(), err.text().c_str());
      return 2;
    }
  }
  for (const sl::Scenario& s : scenarios) {
    double best = 1e300, n = 0, footprint = 0;
    for (int i = 0; i < repeat; ++i) {
      const double t0 = cpuSeconds();
      sl::Simulation sim(s);
      sim.run();
      best = std::min(best, cpuSeconds() - t0);
      n = static_cast<double>(sim.arrived());
      footprint = static_cast<double>(sim.footprintBytes());
    }
    std::printf("%-34s %12.0f %10.3f %14.0f %10.1f MB\n", s.name.c_str(), n, best, n / best, footprint / 1e6);
  }
  memoryTable(scenarios.front());
  return 0;
}
