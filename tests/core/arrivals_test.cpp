// Arrivals are a Poisson process at every accepted rate: the count over a run is Poisson with
// mean rate x duration, whatever the rate, including after a live rate change.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "scenario.h"
#include "simulation.h"

namespace {

/// A run whose arrivals cost almost nothing: one server that rejects what it cannot start.
sl::Scenario arrivalsOnly(double rate, double duration_s, uint64_t seed) {
  const std::string text = R"({"seed": )" + std::to_string(seed) + R"(, "duration_s": )" +
                           std::to_string(duration_s) + R"(, "series_interval_s": )" +
                           std::to_string(duration_s / 10) + R"(, "traffic": {"users": 1, "rate_per_s": )" +
                           std::to_string(rate) +
                           R"(}, "servers": {"count": 1, "queue_limit": 0, "service_ms": {"dist": "constant", "mean": 0.001}}})";
  sl::InputError err;
  sl::Scenario s = sl::parseScenario(text, err);
  INFO(err.text());
  REQUIRE(err.empty());
  return s;
}

/// Distance of a Poisson count from its mean, in standard deviations.
double sigmas(uint64_t count, double mean) {
  return std::fabs(static_cast<double>(count) - mean) / std::sqrt(mean);
}

}  // namespace

TEST_CASE("Simulation arrival counts are Poisson within 4 sigma at 1e3 to 1e6 requests per second", "[arrivals]") {
  // A million expected arrivals at each rate: 4 sigma is 0.4%. Rounding each arrival to the
  // clock's microsecond once lost 10.6% of them at 1e6/s and 1.2% at 1e5/s.
  const double expected = 1.0e6;
  for (const double rate : {1.0e3, 1.0e4, 1.0e5, 1.0e6}) {
    sl::Simulation sim(arrivalsOnly(rate, expected / rate, 7));
    sim.run();
    INFO("rate " << rate << "/s: " << sim.arrived() << " arrivals, " << sigmas(sim.arrived(), expected)
                 << " sigma from " << expected);
    CHECK(sigmas(sim.arrived(), expected) < 4.0);
  }
}

TEST_CASE("Simulation arrival counts stay Poisson over many seeds at 1e6 requests per second", "[arrivals]") {
  // Twenty runs of 1e5 expected arrivals: their mean must sit within 4 sigma of the mean
  // (sigma of the mean of 20 = sqrt(1e5 / 20)), which a bias of even 0.2% would break.
  const double expected = 1.0e5;
  double total = 0;
  const int runs = 20;
  for (int seed = 1; seed <= runs; ++seed) {
    sl::Simulation sim(arrivalsOnly(1.0e6, expected / 1.0e6, static_cast<uint64_t>(seed)));
    sim.run();
    total += static_cast<double>(sim.arrived());
  }
  const double mean = total / runs;
  INFO("mean of " << runs << " runs: " << mean);
  CHECK(std::fabs(mean - expected) / std::sqrt(expected / runs) < 4.0);
}

TEST_CASE("Simulation arrivals after a live set_rate are Poisson at the new rate", "[arrivals]") {
  sl::Simulation sim(arrivalsOnly(1.0e3, 2.0, 3));
  sim.runUntil(1000000);
  const uint64_t before = sim.arrived();
  sl::Action a;
  a.kind = sl::ActionKind::SetRate;
  a.rate = 1.0e6;
  REQUIRE(sim.apply(a).empty());
  sim.run();
  const double expected = 1.0e6;  // one second at 1e6/s
  INFO((sim.arrived() - before) << " arrivals in the second at 1e6/s");
  CHECK(sigmas(sim.arrived() - before, expected) < 4.0);
}
