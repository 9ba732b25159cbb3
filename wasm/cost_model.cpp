#include "cost_model.h"

#include <algorithm>
#include <cmath>

namespace sl {

namespace {

/// Routes checked by one membership change under a hashing policy: before and after, for a
/// sample of fewer than 2 x 20000 users (Simulation::setRotation).
double remapWork(const Scenario& s) {
  return 2.0 * static_cast<double>(std::min<int64_t>(s.traffic.users, 40000));
}

std::string whole(double x) { return std::to_string(static_cast<long long>(std::ceil(x))); }

}  // namespace

int64_t secondsToUs(double s) { return static_cast<int64_t>(std::llround(s * 1e6)); }

double expectedRequests(const Scenario& s, int64_t from_us, double rate, bool pending_at_from) {
  const int64_t end_us = secondsToUs(s.duration_s);
  double n = 0.0;
  int64_t t = from_us;
  for (const Action& a : s.timeline) {
    if (a.kind != ActionKind::SetRate) continue;
    if (a.at_us < from_us || (a.at_us == from_us && !pending_at_from)) continue;
    n += rate * static_cast<double>(a.at_us - t) / 1e6;
    t = a.at_us;
    rate = a.rate;
  }
  return n + rate * static_cast<double>(std::max<int64_t>(end_us - t, 0)) / 1e6;
}

double highestScheduledRate(const Scenario& s, int64_t from_us) {
  double r = 0.0;
  for (const Action& a : s.timeline)
    if (a.kind == ActionKind::SetRate && a.at_us > from_us) r = std::max(r, a.rate);
  return r;
}

double heldRequests(const Scenario& s, int servers, double rate) {
  const double per_server = static_cast<double>(s.servers.queue_limit) + s.servers.workers;
  const double store = static_cast<double>(s.store.queue_limit) + s.store.workers;
  // Seconds a request can spend on the network: two hops to the server and back, two to the
  // store and back (a worker is held meanwhile, but a request is on the wire first).
  const double wire_s = (2.0 * s.network.hop_ms + 2.0 * s.store.latency_ms) / 1000.0;
  return servers * per_server + store + 1.25 * rate * wire_s;
}

int plannedServers(const Scenario& s) {
  int n = s.servers.count;
  for (const Action& a : s.timeline) n += a.kind == ActionKind::AddServer ? 1 : 0;
  if (s.autoscaler.enabled) n = std::max(n, s.autoscaler.max);
  return std::min(n, Limits::kMaxServers);
}

double actionWork(const Action& a, const Scenario& s, int servers) {
  switch (a.kind) {
    case ActionKind::KillServer:
    case ActionKind::RestartServer:
    case ActionKind::AddServer:
    case ActionKind::RemoveServer:
    case ActionKind::SetPolicy:
      return remapWork(s);
    case ActionKind::RollingRestart:
      // Each server leaves and rejoins the rotation.
      return 2.0 * servers * remapWork(s);
    case ActionKind::SetSessionMode:
      return static_cast<double>(s.traffic.users);
    default:
      return 1.0;
  }
}

double plannedActionWork(const Scenario& s) {
  const int servers = plannedServers(s);
  double work = 0.0;
  for (const Action& a : s.timeline) work += actionWork(a, s, servers);
  if (s.autoscaler.enabled) {
    // Each look visits every server slot and may change the membership once.
    const double looks = std::floor(s.duration_s / s.autoscaler.interval_s);
    work += looks * (Limits::kMaxServers + remapWork(s));
  }
  return work;
}

InputError checkScenarioCost(const Scenario& s) {
  const double requests = expectedRequests(s, 0, s.traffic.rate_per_s, true);
  if (requests > CostLimits::kMaxRequests)
    return {"$.traffic.rate_per_s",
            "with duration_s this means about " + whole(requests) + " requests; the limit is 100000000",
            describeValue(s.traffic.rate_per_s)};
  const int servers = plannedServers(s);
  const double peak = std::max(s.traffic.rate_per_s, highestScheduledRate(s, -1));
  const double held = heldRequests(s, servers, peak);
  if (held > CostLimits::kMaxHeldRequests)
    return {"$.servers.queue_limit",
            "up to " + whole(held) + " requests could be held at once (" + std::to_string(servers) +
                " servers, their queues and workers, the store and the network); the limit is 4000000",
            describeValue(s.servers.queue_limit)};
  const double points = std::ceil(s.duration_s / s.series_interval_s - 1e-9);
  if (points * servers > CostLimits::kMaxSeriesCells)
    return {"$.series_interval_s",
            "gives " + whole(points) + " series points x " + std::to_string(servers) +
                " servers; the limit is 2000000 values, use a wider interval",
            describeValue(s.series_interval_s)};
  const double work = plannedActionWork(s);
  if (work > CostLimits::kMaxActionWork)
    return {s.autoscaler.enabled ? "$.autoscaler.interval_s" : "$.timeline",
            "the actions and autoscaler looks take about " + whole(work) +
                " steps (users reset, routes checked); the limit is 200000000",
            s.autoscaler.enabled ? describeValue(s.autoscaler.interval_s) : std::string()};
  return {};
}

}  // namespace sl
