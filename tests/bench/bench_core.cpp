// Requests simulated per second by the native core on the benchmark scenarios, next to a
// minimal model of scenario (a) measured in the same run, and peak memory.
//
//   build/native/tests/bench/bench_core [tests/bench/scenarios/*.json]
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <vector>

#include "../queueing_theory.h"
#include "portable_math.h"
#include "random.h"
#include "scenario.h"
#include "simulation.h"

namespace {

double seconds(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

/// The least a simulator of scenario (a) must do: Poisson arrivals, round robin over 16
/// single-worker FIFO servers with exponential service (Lindley's recursion, no event queue).
double minimalModel(uint64_t requests, double& mean_latency_ms) {
  sl::Random rng(1);
  const int servers = 16;
  const double mean_gap_us = 1e6 / 14400.0, mean_service_us = 1000.0;
  std::vector<double> free_at(servers, 0.0);
  double t = 0, sum = 0;
  for (uint64_t i = 0; i < requests; ++i) {
    t += -mean_gap_us * sl::portableLog(rng.uniform());
    double& f = free_at[i % servers];
    const double start = f > t ? f : t;
    f = start - mean_service_us * sl::portableLog(rng.uniform());
    sum += f - t;
  }
  mean_latency_ms = sum / static_cast<double>(requests) / 1000.0;
  return static_cast<double>(requests);
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
  std::printf("%-34s %12s %10s %14s %12s\n", "scenario", "requests", "seconds", "requests/s", "footprint");
  for (const std::string& f : files) {
    std::ifstream in(f);
    std::stringstream buf;
    buf << in.rdbuf();
    sl::InputError err;
    const sl::Scenario s = sl::parseScenario(buf.str(), err);
    if (!err.empty()) {
      std::fprintf(stderr, "error: %s: %s\n", f.c_str(), err.text().c_str());
      return 2;
    }
    const auto t0 = std::chrono::steady_clock::now();
    sl::Simulation sim(s);
    sim.run();
    const auto t1 = std::chrono::steady_clock::now();
    const double n = static_cast<double>(sim.arrived());
    std::printf("%-34s %12.0f %10.3f %14.0f %10.1f MB\n", s.name.c_str(), n, seconds(t0, t1), n / seconds(t0, t1),
                static_cast<double>(sim.footprintBytes()) / 1e6);
  }
  double mean = 0;
  const auto t0 = std::chrono::steady_clock::now();
  const double n = minimalModel(10000000, mean);
  const auto t1 = std::chrono::steady_clock::now();
  std::printf("%-34s %12.0f %10.3f %14.0f   (mean latency %.3f ms)\n", "minimal model of (a)", n, seconds(t0, t1),
              n / seconds(t0, t1), mean);
  return 0;
}
