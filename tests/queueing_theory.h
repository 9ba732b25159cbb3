#pragma once
// Closed forms of queueing theory, the referee of the simulation: M/M/c (Erlang C) mean and
// 99th percentile of the response time, and a scenario that is exactly such a queue.
#include <cmath>

#include "scenario.h"

namespace sltest {

struct Theory {
  double mean_s;  // W
  double p99_s;   // 99th percentile of response time
};

/// Erlang C for M/M/c: probability that an arrival waits. lambda, mu per second.
inline double erlangC(double lambda, double mu, int c) {
  const double a = lambda / mu;
  double term = 1.0, sum = 0.0;  // term = a^k / k!
  for (int k = 0; k < c; ++k) {
    sum += term;
    term *= a / (k + 1);
  }
  const double top = term * c / (c - a);
  return top / (sum + top);
}

/// Response time of M/M/c FCFS: T = Wq + S with Wq = 0 w.p. 1 - Pw, else Exp(c mu - lambda).
inline Theory mmc(double lambda, double mu, int c) {
  const double pw = erlangC(lambda, mu, c);
  const double theta = c * mu - lambda;
  const double mean = pw / theta + 1.0 / mu;
  auto tail = [&](double t) {
    const double both = std::fabs(theta - mu) < 1e-12
                            ? (1.0 + mu * t) * std::exp(-mu * t)
                            : (theta * std::exp(-mu * t) - mu * std::exp(-theta * t)) / (theta - mu);
    return (1.0 - pw) * std::exp(-mu * t) + pw * both;
  };
  double lo = 0.0, hi = 100.0 / mu;
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    (tail(mid) > 0.01 ? lo : hi) = mid;
  }
  return {mean, 0.5 * (lo + hi)};
}

/// `servers` servers of `workers` workers each, fed at `load` of capacity by random
/// balancing with exponential service of 10 ms: each server is an M/M/workers queue.
inline sl::Scenario queueScenario(int servers, int workers, double load, double requests) {
  sl::Scenario s;
  s.seed = 42;
  s.servers.count = servers;
  s.servers.workers = workers;
  s.servers.queue_limit = 1000000;
  s.servers.service = {sl::DistKind::Exponential, 10.0, 0.0};  // mu = 100/s per worker
  s.traffic.rate_per_s = load * servers * workers * 100.0;
  s.traffic.users = 1000;
  s.policy = sl::Policy::Random;
  s.session.mode = sl::SessionMode::None;
  s.duration_s = requests / s.traffic.rate_per_s;
  s.warmup_s = s.duration_s * 0.01;
  s.series_interval_s = s.duration_s / 100;
  return s;
}

inline double relErr(double got, double want) { return std::fabs(got - want) / want; }

}  // namespace sltest
