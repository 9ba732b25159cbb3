// Queueing theory is the referee: with no session state, random balancing and exponential
// service, each server is an M/M/k queue fed at rate/count.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "../queueing_theory.h"
#include "scenario.h"
#include "simulation.h"

using sltest::mmc;
using sltest::queueScenario;
using sltest::relErr;
using sltest::Theory;

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
  CHECK(relErr(r["latency_ms"]["mean"].get<double>() / 1e3, t.mean_s) < 0.02);
  CHECK(relErr(r["latency_ms"]["p99"].get<double>() / 1e3, t.p99_s) < 0.02);
}

TEST_CASE("Simulation with k workers per server matches Erlang C at loads 0.5 to 0.9", "[theory][slow]") {
  const double load = GENERATE(0.5, 0.7, 0.9);
  const int k = 4;
  // At load 0.9 the p99 of 4e6 requests strays up to 5% from theory from one seed to the
  // next; 1e7 keeps it within 1.5% (seeds 1 to 6 and 42).
  const double requests = load < 0.8 ? 1.0e6 : 1.0e7;
  const sl::Scenario s = queueScenario(4, k, load, requests);
  const auto r = sl::runScenario(s);
  const Theory t = mmc(s.traffic.rate_per_s / 4, 100.0, k);
  INFO("load " << load << " mean " << r["latency_ms"]["mean"] << " ms, theory " << t.mean_s * 1e3
               << "; p99 " << r["latency_ms"]["p99"] << " theory " << t.p99_s * 1e3);
  CHECK(relErr(r["latency_ms"]["mean"].get<double>() / 1e3, t.mean_s) < 0.02);
  CHECK(relErr(r["latency_ms"]["p99"].get<double>() / 1e3, t.p99_s) < 0.02);
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
