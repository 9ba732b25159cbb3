// The building blocks: random numbers, portable math, distributions, histogram, event queue.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "alias_table.h"
#include "distribution.h"
#include "event_queue.h"
#include "histogram.h"
#include "portable_math.h"
#include "random.h"

TEST_CASE("portableLog and portableExp agree with the C library to a few ulps", "[parts]") {
  sl::Random rng(9);
  for (int i = 0; i < 100000; ++i) {
    const double x = std::ldexp(rng.uniform(), static_cast<int>(rng.below(80)) - 40);
    CHECK(std::fabs(sl::portableLog(x) - std::log(x)) <= 4e-16 * std::max(1.0, std::fabs(std::log(x))));
    const double y = (rng.uniform() - 0.5) * 100;
    CHECK(std::fabs(sl::portableExp(y) - std::exp(y)) <= 4e-16 * std::exp(y));
  }
}

TEST_CASE("Random.uniform is in (0, 1) with mean 1/2 and Random.below is uniform", "[parts]") {
  sl::Random rng(1);
  double sum = 0;
  std::vector<int> counts(10, 0);
  const int n = 1000000;
  for (int i = 0; i < n; ++i) {
    const double u = rng.uniform();
    REQUIRE(u > 0.0);
    REQUIRE(u < 1.0);
    sum += u;
    ++counts[rng.below(10)];
  }
  CHECK(sum / n == Approx(0.5).margin(0.002));
  for (int c : counts) CHECK(c == Approx(n / 10).epsilon(0.02));
}

TEST_CASE("Random with different seeds gives different streams, the same seed the same", "[parts]") {
  sl::Random a(1), b(1), c(2);
  for (int i = 0; i < 10; ++i) {
    const uint64_t x = a.next();
    CHECK(x == b.next());
    CHECK(x != c.next());
  }
}

TEST_CASE("Distribution draws have the configured mean for every shape", "[parts]") {
  sl::Random rng(4);
  for (sl::DistKind k : {sl::DistKind::Exponential, sl::DistKind::Constant, sl::DistKind::Lognormal}) {
    sl::Distribution d({k, 20.0, 0.8});
    double sum = 0, sq = 0;
    const int n = 400000;
    for (int i = 0; i < n; ++i) {
      const double x = static_cast<double>(d.sampleUs(rng));
      sum += x;
      sq += x * x;
    }
    const double mean = sum / n, var = sq / n - mean * mean;
    INFO(sl::distName(k));
    CHECK(mean == Approx(20000.0).epsilon(0.01));
    if (k == sl::DistKind::Exponential) CHECK(std::sqrt(var) == Approx(20000.0).epsilon(0.02));
    if (k == sl::DistKind::Constant) CHECK(var == Approx(0.0).margin(1e-6));
    if (k == sl::DistKind::Lognormal) CHECK(var == Approx(20000.0 * 20000.0 * (std::exp(0.64) - 1)).epsilon(0.05));
  }
}

TEST_CASE("AliasTable.zipf draws user i with weight 1/(i+1)^s", "[parts]") {
  sl::Random rng(2);
  const auto t = sl::AliasTable::zipf(50, 1.0);
  std::vector<int> counts(50, 0);
  const int n = 2000000;
  for (int i = 0; i < n; ++i) ++counts[t.sample(rng)];
  double h = 0;
  for (int i = 1; i <= 50; ++i) h += 1.0 / i;
  for (int i : {0, 1, 4, 49}) CHECK(counts[i] / static_cast<double>(n) == Approx(1.0 / (i + 1) / h).epsilon(0.03));
}

TEST_CASE("Histogram quantiles are within 1% of the exact quantiles", "[parts]") {
  sl::Random rng(3);
  sl::Histogram h;
  std::vector<int64_t> all;
  sl::Distribution d({sl::DistKind::Lognormal, 30.0, 1.2});
  for (int i = 0; i < 200000; ++i) {
    const int64_t v = d.sampleUs(rng);
    h.record(v);
    all.push_back(v);
  }
  std::sort(all.begin(), all.end());
  for (double q : {0.01, 0.5, 0.9, 0.99, 0.999}) {
    const double exact = static_cast<double>(all[static_cast<size_t>(std::ceil(q * all.size())) - 1]);
    INFO("q " << q);
    CHECK(std::fabs(h.quantile(q) - exact) <= 0.01 * exact);
  }
  CHECK(h.max() == all.back());
  CHECK(h.count() == all.size());
}

TEST_CASE("EventQueue take followed by pushes or by nothing gives the same order as pop", "[parts]") {
  // A reference queue popped plainly beside one driven by take(): every third taken event
  // schedules nothing (its slot is settled on the next look), the others schedule one or two.
  sl::EventQueue plain, taken;
  sl::Random rng(11);
  uint32_t id = 0;
  for (; id < 300; ++id) {
    const int64_t t = static_cast<int64_t>(rng.below(50));
    plain.push(t, sl::EventType::Timeline, id);
    taken.push(t, sl::EventType::Timeline, id);
  }
  size_t steps = 0;
  while (!plain.empty()) {
    REQUIRE_FALSE(taken.empty());
    REQUIRE(taken.size() == plain.size());
    const sl::Event want = plain.pop();
    const sl::Event got = taken.take();
    REQUIRE(got.time_us == want.time_us);
    REQUIRE(got.seq == want.seq);
    REQUIRE(got.a == want.a);
    REQUIRE(taken.size() == plain.size());
    ++steps;
    if (steps % 3 == 0 || id >= 3000) continue;
    const int pushes = steps % 3 == 1 ? 1 : 2;
    for (int k = 0; k < pushes; ++k, ++id) {
      const int64_t t = want.time_us + static_cast<int64_t>(rng.below(40));
      plain.push(t, sl::EventType::Timeline, id);
      taken.push(t, sl::EventType::Timeline, id);
    }
  }
  CHECK(taken.empty());
  CHECK(steps == id);
}

TEST_CASE("EventQueue pops by time, then by order of scheduling", "[parts]") {
  sl::EventQueue q;
  sl::Random rng(8);
  for (uint32_t i = 0; i < 5000; ++i) q.push(static_cast<int64_t>(rng.below(100)), sl::EventType::Timeline, i);
  int64_t last_t = -1;
  uint32_t last_a = 0;
  while (!q.empty()) {
    const sl::Event e = q.pop();
    REQUIRE(e.time_us >= last_t);
    if (e.time_us == last_t) REQUIRE(e.a > last_a);
    last_t = e.time_us;
    last_a = e.a;
  }
}
