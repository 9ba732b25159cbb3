// Queueing theory is the referee: with no session state, random balancing and exponential
// service, each server is an M/M/k queue fed at rate/count.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "../queueing_theory.h"
#include "scenario.h"
#include "simulation.h"

using sltest::mmc;
using sltest::queueScenario;
using sltest::relErr;
using sltest::Theory;

namespace {

// Tolerances of the checks at load 0.9 (1e7 requests), where one run's error depends most on its
// seed. Each is the spread of the relative error over seeds 1 to 20, as |mean| + 4 standard
// deviations, rounded up; the [.sweep] test at the end of this file measures it (hidden: run
// `build/native/tests/core/core_tests '[.sweep]'`, about 50 s) and fails when it outgrows them.
// Measured (mean, sd, worst |error| of the 20 seeds):
//   M/M/1 mean  -0.06%, sd 0.53%, worst 1.02%  -> 2.17%
//   M/M/1 p99   -0.07%, sd 1.11%, worst 2.06%  -> 4.53%
//   M/M/4 mean  +0.01%, sd 0.58%, worst 1.11%  -> 2.34%
//   M/M/4 p99   -0.42%, sd 1.28%, worst 2.79%  -> 5.54%
// More requests would narrow them only as 1/sqrt(requests): 1e7 already takes about 1.2 s a run.
constexpr double kMm1MeanTolerance = 0.022;
constexpr double kMm1P99Tolerance = 0.046;
constexpr double kMmkMeanTolerance = 0.024;
constexpr double kMmkP99Tolerance = 0.056;

/// Signed relative error of one run's latency from theory: 4 servers of `workers` workers at
/// load 0.9, `requests` requests, the given seed.
struct Deviation {
  double mean;
  double p99;
};

Deviation deviationAtLoad09(int workers, double requests, uint64_t seed) {
  sl::Scenario s = queueScenario(4, workers, 0.9, requests);
  s.seed = seed;
  const auto r = sl::runScenario(s);
  const Theory t = mmc(s.traffic.rate_per_s / 4, 100.0, workers);
  return {r["latency_ms"]["mean"].get<double>() / 1e3 / t.mean_s - 1.0,
          r["latency_ms"]["p99"].get<double>() / 1e3 / t.p99_s - 1.0};
}

struct Spread {
  double mean = 0;
  double sd = 0;
  double worst = 0;  // largest |error|
  double bound() const { return std::fabs(mean) + 4 * sd; }
};

Spread spreadOf(const std::vector<double>& errors) {
  Spread s;
  for (double e : errors) s.mean += e;
  s.mean /= static_cast<double>(errors.size());
  for (double e : errors) {
    s.sd += (e - s.mean) * (e - s.mean);
    s.worst = std::max(s.worst, std::fabs(e));
  }
  s.sd = std::sqrt(s.sd / static_cast<double>(errors.size() - 1));
  return s;
}

}  // namespace

TEST_CASE("Erlang C helper reproduces the worked M/M/c values of the lesson facts", "[theory]") {
  // LESSON_FACTS M5: (lambda, mu, c) -> W.
  CHECK(mmc(8, 10, 1).mean_s == Approx(0.500).epsilon(0.002));
  CHECK(mmc(30, 12, 3).mean_s == Approx(0.2004).epsilon(0.002));
  CHECK(mmc(800, 100, 10).mean_s == Approx(0.0120).epsilon(0.01));
  CHECK(mmc(800, 100, 9).mean_s == Approx(0.0165).epsilon(0.01));
  // M/M/1 response time is exponential: p99 = ln(100) / (mu - lambda).
  CHECK(mmc(8, 10, 1).p99_s == Approx(std::log(100.0) / 2.0).epsilon(1e-6));
}

TEST_CASE("Simulation with random balancing and one worker matches M/M/1 at loads 0.5 to 0.9", "[theory][slow]") {
  const double load = GENERATE(0.5, 0.7, 0.9);
  // Variance of the mean grows like 1/(1-rho)^4: more requests at high load keep the
  // statistical error well inside the 2% tolerance.
  const double requests = load < 0.6 ? 1.0e6 : load < 0.8 ? 2.0e6 : 1.0e7;
  const sl::Scenario s = queueScenario(4, 1, load, requests);
  const auto r = sl::runScenario(s);
  const Theory t = mmc(s.traffic.rate_per_s / 4, 100.0, 1);
  INFO("load " << load << " mean " << r["latency_ms"]["mean"] << " ms, theory " << t.mean_s * 1e3);
  CHECK(r["requests"]["arrived"].get<double>() >= requests * 0.99);
  CHECK(relErr(r["latency_ms"]["mean"].get<double>() / 1e3, t.mean_s) < (load < 0.8 ? 0.02 : kMm1MeanTolerance));
  CHECK(relErr(r["latency_ms"]["p99"].get<double>() / 1e3, t.p99_s) < (load < 0.8 ? 0.02 : kMm1P99Tolerance));
}

TEST_CASE("Simulation with k workers per server matches Erlang C at loads 0.5 to 0.9", "[theory][slow]") {
  const double load = GENERATE(0.5, 0.7, 0.9);
  const int k = 4;
  // At load 0.9 the p99 of 4e6 requests strays up to 5% from theory from one seed to the
  // next; 1e7 keeps it within 2.8% over seeds 1 to 20 (see the tolerances above).
  const double requests = load < 0.8 ? 1.0e6 : 1.0e7;
  const sl::Scenario s = queueScenario(4, k, load, requests);
  const auto r = sl::runScenario(s);
  const Theory t = mmc(s.traffic.rate_per_s / 4, 100.0, k);
  INFO("load " << load << " mean " << r["latency_ms"]["mean"] << " ms, theory " << t.mean_s * 1e3
               << "; p99 " << r["latency_ms"]["p99"] << " theory " << t.p99_s * 1e3);
  CHECK(relErr(r["latency_ms"]["mean"].get<double>() / 1e3, t.mean_s) < (load < 0.8 ? 0.02 : kMmkMeanTolerance));
  CHECK(relErr(r["latency_ms"]["p99"].get<double>() / 1e3, t.p99_s) < (load < 0.8 ? 0.02 : kMmkP99Tolerance));
}

TEST_CASE("Simulation obeys Little's law L = lambda W in every session mode", "[theory]") {
  const auto mode = GENERATE(sl::SessionMode::None, sl::SessionMode::ServerMemory, sl::SessionMode::SharedStore,
                             sl::SessionMode::Token);
  sl::Scenario s = queueScenario(4, 2, 0.7, 4.0e5);
  s.session.mode = mode;
  s.policy = sl::Policy::RoundRobin;
  s.network.hop_ms = 1.0;
  const auto r = sl::runScenario(s);
  const double L = r["little"]["mean_in_system"].get<double>();
  const double lambda = r["little"]["arrival_rate_per_s"].get<double>();
  const double W = r["little"]["mean_latency_s"].get<double>();
  INFO("mode " << sl::sessionModeName(mode) << ": L " << L << ", lambda W " << lambda * W);
  CHECK(relErr(L, lambda * W) < 0.02);
}

TEST_CASE("Simulation utilization of each server approaches the offered load", "[theory]") {
  const sl::Scenario s = queueScenario(4, 1, 0.6, 4.0e5);
  const auto r = sl::runScenario(s);
  for (const auto& sv : r["servers"]) CHECK(sv["utilization"].get<double>() == Approx(0.6).epsilon(0.03));
}

TEST_CASE("Simulation latency at load 0.9 strays from theory within the tolerances measured over 20 seeds", "[theory][.sweep]") {
  // Hidden: 40 runs of 1e7 requests. Prints the figures written next to the tolerances above.
  const int workers = GENERATE(1, 4);
  const double requests = 1.0e7;
  std::vector<double> mean_errors, p99_errors;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    const Deviation d = deviationAtLoad09(workers, requests, seed);
    mean_errors.push_back(d.mean);
    p99_errors.push_back(d.p99);
  }
  const Spread mean = spreadOf(mean_errors), p99 = spreadOf(p99_errors);
  WARN("M/M/" << workers << " at load 0.9, " << requests << " requests, seeds 1-20, relative error: mean "
              << mean.mean << " sd " << mean.sd << " worst " << mean.worst << " bound " << mean.bound()
              << "; p99 " << p99.mean << " sd " << p99.sd << " worst " << p99.worst << " bound " << p99.bound());
  CHECK(mean.bound() <= (workers == 1 ? kMm1MeanTolerance : kMmkMeanTolerance));
  CHECK(p99.bound() <= (workers == 1 ? kMm1P99Tolerance : kMmkP99Tolerance));
}
