// The analytic theory of wasm/theory.h against published tables and closed forms. The
// expected values come from the sources named beside them, never from this code's output.
#include <catch2/catch.hpp>

#include <cmath>
#include <iterator>
#include <string>

#include "../queueing_theory.h"
#include "json_reader.h"
#include "scenario.h"
#include "simulation.h"
#include "stream_scenario.h"
#include "stream_source.h"
#include "theory.h"
#include "vocabulary.h"

namespace th = sl::theory;

TEST_CASE("erlangB reproduces the published Erlang B traffic values", "[theory]") {
  // Westbay Engineers' Erlang calculator manual, "How much traffic can a trunk group handle?"
  // (erlang.com/calculatormanual/howmuchtrafficcanatrunkgrouphandle.htm): 15 lines at 1%
  // blocking carry at most 8.108 erlangs. The value is printed to 4 figures.
  CHECK(th::erlangB(8.108, 15) == Approx(0.01).epsilon(0.002));
  // D. Collins, Carrier Grade Voice over IP, 2nd ed., Appendix A "Table of Erlang B": erlangs
  // a group of channels carries at a blocking probability, printed to one decimal. Each
  // printed load is the exact one rounded, so the grade lies between the blocking at the
  // printed load minus and plus half a unit of the last place.
  struct Row { int channels; double grade, printed; };
  const Row table[] = {{5, 0.01, 1.4}, {5, 0.02, 1.7}, {5, 0.05, 2.2}, {8, 0.01, 3.1},
                       {8, 0.02, 3.6}, {8, 0.05, 4.5}, {9, 0.01, 3.8}, {9, 0.02, 4.3}, {9, 0.05, 5.4}};
  for (const Row& r : table) {
    INFO(r.channels << " channels at " << r.grade);
    CHECK(th::erlangB(r.printed - 0.05, r.channels) <= r.grade);
    CHECK(th::erlangB(r.printed + 0.05, r.channels) >= r.grade);
  }
  // Westbay's forum answer to "1200 calls per hour of 3 minutes, 1 in 100 blocked": 33.333 E
  // need 45 lines, the fewest with blocking at most 1%.
  CHECK(th::erlangB(1200.0 / 36, 45) <= 0.01);
  CHECK(th::erlangB(1200.0 / 36, 44) > 0.01);
}

TEST_CASE("mmc reproduces the County Hospital M/M/s example of Hillier and Lieberman", "[theory]") {
  // Hillier & Lieberman, Introduction to Operations Research, the County Hospital emergency
  // room in the M/M/s section: λ = 2 patients/hour, μ = 3/hour, one doctor or two. Their
  // table of steady-state results, in exact fractions.
  const th::QueueState one = th::mmc(2, 3, 1);
  REQUIRE(one.stable);
  CHECK(one.utilization == Approx(2.0 / 3));
  CHECK(one.p_wait == Approx(2.0 / 3));  // P(W_q > 0) = 1 - P0 = 1 - 1/3
  CHECK(one.in_queue == Approx(4.0 / 3));
  CHECK(one.in_system == Approx(2.0));
  CHECK(one.wait_s == Approx(2.0 / 3));  // hours here: the units are those of the rates
  CHECK(one.response_s == Approx(1.0));
  const th::QueueState two = th::mmc(2, 3, 2);
  REQUIRE(two.stable);
  CHECK(two.utilization == Approx(1.0 / 3));
  CHECK(two.p_wait == Approx(1.0 / 6));
  CHECK(two.in_queue == Approx(1.0 / 12));
  CHECK(two.in_system == Approx(3.0 / 4));
  CHECK(two.wait_s == Approx(1.0 / 24));
  CHECK(two.response_s == Approx(3.0 / 8));
}

TEST_CASE("mmc reproduces the worked M/M/c table of the Horizontal Scaling lesson", "[theory]") {
  // lessons/horizontal-scaling/lesson.md prints P_wait, W_q and W rounded to 4 places.
  struct Row { double lambda, mu; int c; double p_wait, wq, w; };
  const Row rows[] = {{8, 10, 1, 0.800, 0.400, 0.500},
                      {30, 12, 3, 0.7022, 0.1170, 0.2004},
                      {800, 100, 10, 0.4092, 0.0020, 0.0120},
                      {800, 100, 9, 0.6533, 0.0065, 0.0165}};
  for (const Row& r : rows) {
    const th::QueueState q = th::mmc(r.lambda, r.mu, r.c);
    INFO("lambda " << r.lambda << " mu " << r.mu << " c " << r.c);
    CHECK(std::fabs(q.p_wait - r.p_wait) <= 5e-5);
    CHECK(std::fabs(q.wait_s - r.wq) <= 5e-5);
    CHECK(std::fabs(q.response_s - r.w) <= 5e-5);
  }
}

TEST_CASE("mmc with one server is the M/M/1 closed form W = 1/(mu - lambda)", "[theory]") {
  for (const double lambda : {10.0, 50.0, 80.0, 99.0}) {
    const th::QueueState q = th::mmc(lambda, 100, 1);
    CHECK(q.response_s == Approx(1 / (100 - lambda)));
    CHECK(q.p_wait == Approx(lambda / 100));  // an M/M/1 arrival waits when the server is busy
    CHECK(q.in_system == Approx((lambda / 100) / (1 - lambda / 100)));  // L = ρ/(1 − ρ)
  }
}

TEST_CASE("mmc refuses an unstable queue and invalid input with NaN, never a number", "[theory]") {
  CHECK_FALSE(th::mmc(100, 100, 1).stable);
  CHECK_FALSE(th::mmc(1000, 100, 9).stable);
  CHECK(std::isnan(th::mmc(1000, 100, 9).response_s));
  CHECK_FALSE(th::mmc(-1, 100, 1).stable);
  CHECK_FALSE(th::mmc(50, 0, 1).stable);
  CHECK_FALSE(th::mmc(50, 100, 1.5).stable);
  CHECK_FALSE(th::mmc(50, 100, 0).stable);
  CHECK_FALSE(th::mmc(std::nan(""), 100, 1).stable);
  CHECK_FALSE(th::mmc(50, 100, 1e12).stable);
  CHECK(std::isnan(th::erlangC(5, 5)));
  CHECK(std::isnan(th::responseQuantile(50, 100, 1, 1.0)));
}

TEST_CASE("erlangC stays finite and exact where the factorial form overflows", "[theory]") {
  // 256 servers at 97.7% load: A^c / c! alone overflows a double.
  const th::QueueState q = th::mmc(25000, 100, 256);
  REQUIRE(q.stable);
  CHECK(q.p_wait > 0);
  CHECK(q.p_wait < 1);
  CHECK(std::isfinite(q.response_s));
  // The identity C = c B / (c - A (1 - B)) ties it to Erlang B at any size.
  const double b = th::erlangB(250, 256), a = 250, c = 256;
  CHECK(th::erlangC(a, c) == Approx(c * b / (c - a * (1 - b))));
}

TEST_CASE("responseQuantile of M/M/1 is ln(1/(1-q))/(mu - lambda), exponential response", "[theory]") {
  CHECK(th::responseQuantile(8, 10, 1, 0.99) == Approx(std::log(100.0) / 2).epsilon(1e-9));
  CHECK(th::responseQuantile(80, 100, 1, 0.5) == Approx(std::log(2.0) / 20).epsilon(1e-9));
  CHECK(th::responseTail(80, 100, 1, 0.05) == Approx(std::exp(-20 * 0.05)).epsilon(1e-12));
}

TEST_CASE("responseQuantile of M/M/c agrees with the tests' independent Erlang C helper", "[theory]") {
  // tests/queueing_theory.h computes the same p99 by the factorial form and its own bisection.
  for (const int c : {2, 4, 9, 10}) {
    for (const double load : {0.5, 0.8, 0.9}) {
      const double lambda = load * c * 100;
      INFO("c " << c << " load " << load);
      CHECK(th::responseQuantile(lambda, 100, c, 0.99) == Approx(sltest::mmc(lambda, 100, c).p99_s).epsilon(1e-6));
      CHECK(th::mmc(lambda, 100, c).response_s == Approx(sltest::mmc(lambda, 100, c).mean_s).epsilon(1e-9));
    }
  }
  // Equal wait and service rates (cμ − λ = μ) take the limit form of the tail, not 0/0.
  CHECK(std::isfinite(th::responseQuantile(100, 100, 2, 0.99)));
  CHECK(th::responseTail(100, 100, 2, 0.01) == Approx(th::responseTail(100.0000001, 100, 2, 0.01)).epsilon(1e-5));
}

TEST_CASE("littleL is lambda times W", "[theory]") {
  CHECK(th::littleL(800, 0.012) == Approx(9.6));
  CHECK(std::isnan(th::littleL(-1, 1)));
}

TEST_CASE("amdahl and usl give the published limits and the lesson's worked values", "[theory]") {
  // Amdahl (1967), as usually stated: with 95% of the work parallel the speed-up never
  // exceeds 1/(1 − 0.95) = 20, however many processors.
  CHECK(th::amdahl(0.95, 1e12) == Approx(20).epsilon(1e-6));
  CHECK(th::amdahl(0.95, 1) == Approx(1));
  // lessons/horizontal-scaling/lesson.md: S(10) = 6.90, S(100) = 16.81; USL with α = 0.05,
  // β = 0.001 peaks near N* = 30.8 at C(31) = 9.04 and falls to C(64) = 7.82.
  CHECK(std::fabs(th::amdahl(0.95, 10) - 6.90) <= 0.005);
  CHECK(std::fabs(th::amdahl(0.95, 100) - 16.81) <= 0.005);
  CHECK(std::fabs(th::uslPeak(0.05, 0.001) - 30.8) <= 0.05);
  CHECK(std::fabs(th::usl(31, 0.05, 0.001) - 9.04) <= 0.005);
  CHECK(std::fabs(th::usl(64, 0.05, 0.001) - 7.82) <= 0.005);
  // Gunther: with β = 0 the USL is Amdahl's law with serial share α.
  CHECK(th::usl(10, 0.05, 0) == Approx(th::amdahl(0.95, 10)));
  CHECK(std::isinf(th::uslPeak(0.05, 0)));
}

TEST_CASE("moduloRemapShare and consistentRemapShare match keys counted directly", "[theory]") {
  CHECK(th::moduloRemapShare(4) == Approx(0.8));
  CHECK(th::consistentRemapShare(4) == Approx(0.2));
  for (const int n : {3, 4, 10}) {
    int moved = 0;
    const int keys = 100000;
    for (int k = 0; k < keys; ++k) moved += k % n != k % (n + 1) ? 1 : 0;
    CHECK(static_cast<double>(moved) / keys == Approx(th::moduloRemapShare(n)).margin(0.001));
  }
  CHECK(std::isnan(th::moduloRemapShare(0)));
}

TEST_CASE("roundRobinMissShare, crashLossShare, revokedAcceptedShare, serversNeeded and fairShareAfterAdd follow their counting arguments", "[theory]") {
  // Round robin visits the session's server once in n requests.
  CHECK(th::roundRobinMissShare(4) == Approx(0.75));
  CHECK(th::roundRobinMissShare(1) == 0);
  CHECK(th::crashLossShare(1, 4) == Approx(0.25));
  CHECK(std::isnan(th::crashLossShare(5, 4)));
  // Revoked at 20 s of 60 with a 30 s token: accepted for 10 of the 40 s left.
  CHECK(th::revokedAcceptedShare(30, 60, 20, false) == Approx(0.25));
  CHECK(th::revokedAcceptedShare(900, 60, 20, false) == Approx(1));
  CHECK(th::revokedAcceptedShare(10, 60, 20, false) == 0);
  CHECK(th::revokedAcceptedShare(900, 60, 20, true) == 0);
  // 600/s of 10 ms on one worker per server at 60%: 6 busy workers / 0.6 = 10 servers.
  CHECK(th::serversNeeded(600, 0.010, 1, 0.6) == 10);
  CHECK(th::serversNeeded(601, 0.010, 1, 0.6) == 11);
  CHECK(th::fairShareAfterAdd(4, 30, 60) == Approx(0.1));
}

TEST_CASE("storeOutageSeconds sums the store's down intervals, open to the end of the run", "[theory]") {
  sl::InputError err;
  const sl::Scenario s = sl::parseScenario(
      R"({"duration_s": 60, "session": {"mode": "shared_store"}, "timeline": [
          {"at_s": 10, "do": "store_down"}, {"at_s": 15, "do": "store_up"},
          {"at_s": 40, "do": "store_down"}, {"at_s": 45, "do": "store_down"}]})",
      err);
  REQUIRE(err.empty());
  CHECK(th::storeOutageSeconds(s) == Approx(5 + 20));
}

TEST_CASE("credentialBytes is the simulation's credentials_per_request in every session mode, the credential its traits name",
          "[theory]") {
  for (size_t k = 0; k < std::size(sl::kSessionModeNames); ++k) {
    INFO(sl::kSessionModeNames[k]);
    sl::InputError err;
    // Cookie and token sizes differ from each other and from the defaults, so each mode's
    // number says which credential it counted.
    const sl::Scenario s = sl::parseScenario(std::string(R"({"duration_s": 10, "traffic": {"users": 20, "rate_per_s": 30},
        "session": {"cookie_bytes": 37, "mode": ")") + sl::kSessionModeNames[k] +
                                                 R"("}, "token": {"bytes": 611}})",
                                             err);
    REQUIRE(err.empty());
    const double theory = th::credentialBytes(s);
    CHECK(theory == sl::runScenario(s)["bytes"]["credentials_per_request"].get<double>());
    const std::string credential = sl::kSessionModeTraits[k].credential;
    CHECK(theory == (credential == "token" ? 611 : credential == "cookie" ? 37 : 0));
  }
}

TEST_CASE("mmcApplies holds for a random split with exponential service, whose mean latency is Erlang C's, and not for round robin, which is faster", "[theory]") {
  auto scenario = [](const char* policy, const char* extra) {
    sl::InputError err;
    const std::string text = std::string(R"({"seed": 5, "duration_s": 300, "traffic": {"users": 5000, "rate_per_s": 300},
        "servers": {"count": 4, "service_ms": {"dist": "exponential", "mean": 10}}, "balancer": {"policy": ")") +
                             policy + "\"}" + extra + "}";
    const sl::Scenario s = sl::parseScenario(text, err);
    REQUIRE(err.empty());
    return s;
  };
  const sl::Scenario random = scenario("random", "");
  REQUIRE(th::mmcApplies(random));
  const double theory_ms = th::mmc(300.0 / 4, 100, 1).response_s * 1000;  // M/M/1 at rho 0.75: 40 ms
  const double random_ms = sl::runScenario(random)["latency_ms"]["mean"].get<double>();
  CHECK(random_ms == Approx(theory_ms).epsilon(0.1));

  const sl::Scenario rr = scenario("round_robin", "");
  CHECK_FALSE(th::mmcApplies(rr));
  CHECK(sl::runScenario(rr)["latency_ms"]["mean"].get<double>() < 0.8 * theory_ms);

  CHECK_FALSE(th::mmcApplies(scenario("random", R"(, "session": {"mode": "server_memory"})")));
  CHECK_FALSE(th::mmcApplies(scenario("random", R"(, "timeline": [{"at_s": 1, "do": "add_server"}])")));
  CHECK_FALSE(th::mmcApplies(scenario("random", R"(, "autoscaler": {"enabled": true})")));
  CHECK(th::mmcApplies(scenario("consistent_hash", "")));
}

TEST_CASE("streamCrash finds the crashed worker's partitions, keys and replay since the last commit", "[theory]") {
  sl::InputError err;
  const sl::StreamScenario s = sl::parseStreamScenario(
      R"({"kind": "stream", "duration_s": 60, "source": {"rate_per_s": 300, "keys": 36},
          "partitions": 6, "workers": 3, "checkpoint": {"mode": "none", "interval_s": 4},
          "timeline": [{"at_s": 27.5, "do": "kill_worker", "worker": 0}]})",
      err);
  REQUIRE(err.empty());
  const th::StreamCrash c = th::streamCrash(s);
  REQUIRE(c.crashed);
  CHECK(c.worker == 0);
  CHECK(c.partitions_owned == 2);  // partitions 0 and 3
  int keys = 0;
  for (uint32_t k = 0; k < 36; ++k) {
    const int p = sl::streamPartitionOf(k, 6);
    keys += p == 0 || p == 3 ? 1 : 0;
  }
  CHECK(c.keys_owned == keys);
  CHECK(c.key_share == Approx(keys / 36.0));  // uniform keys
  CHECK(c.last_commit_s == Approx(24));       // commits at 4, 8, ..., 24
  CHECK(c.replayed == Approx(300 * 3.5 * keys / 36.0));
}
