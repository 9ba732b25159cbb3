// What the cluster model reports: the per-interval series, the results and summary JSON, and
// the views of servers and store the front end draws.
#include <algorithm>

#include "cluster_time.h"
#include "simulation.h"

namespace sl {

void Simulation::closeSeriesPoint() {
  const double width = static_cast<double>(std::max<int64_t>(now_us_ - last_series_us_, 1));
  SeriesPoint p{};
  p.t_s = usToSeconds(now_us_);
  p.arrived = m_.arrived - series_base_.arrived;
  p.completed = m_.completed - series_base_.completed;
  p.failed = m_.failed - series_base_.failed;
  p.rejected = m_.rejected - series_base_.rejected;
  p.denied = m_.denied - series_base_.denied;
  p.misses = m_.misses - series_base_.misses;
  p.p50_ms = usToMs(interval_latency_.quantile(0.5));
  p.p99_ms = usToMs(interval_latency_.quantile(0.99));
  p.mean_ms = usToMs(interval_latency_.mean());
  p.servers = static_cast<int>(balancer_.rotation().size());
  p.store_utilization = static_cast<double>(store_.takeIntervalBusyUs()) / (width * scenario_.store.workers);
  series_.push_back(p);
  series_width_.push_back(serverCount());
  for (Server& sv : servers_) {
    // Utilization from the work finished in this interval (a long request counts when done).
    const double busy = static_cast<double>(sv.pool.busyUs() - sv.series_busy_us);
    series_util_.push_back(static_cast<float>(busy / (width * scenario_.servers.workers)));
    sv.series_busy_us = sv.pool.busyUs();
  }
  series_base_ = m_;
  interval_latency_.clear();
  last_series_us_ = now_us_;
}

ServerView Simulation::server(int id) const {
  ServerView v;
  if (id < 0 || id >= serverCount()) return v;
  const Server& sv = servers_[static_cast<size_t>(id)];
  v.id = id;
  v.alive = sv.alive;
  v.in_rotation = sv.in_rotation;
  v.draining = sv.draining;
  v.busy = sv.pool.busy();
  v.queued = static_cast<int>(sv.pool.queued());
  v.sessions = sessions_.serverSessions(id);
  v.handled = sv.handled;
  return v;
}

StoreView Simulation::store() const {
  StoreView v;
  v.up = store_up_;
  v.busy = store_.busy();
  v.queued = static_cast<int>(store_.queued());
  v.sessions = sessions_.storeSessions();
  v.lookups = m_.store_lookups;
  return v;
}

nlohmann::json Simulation::series(size_t from, size_t count) const {
  nlohmann::json t = nlohmann::json::array(), arrived = t, completed = t, failed = t, rejected = t,
                 denied = t, misses = t, p50 = t, p99 = t, mean = t, servers = t, store = t, util = t;
  from = std::min(from, series_.size());
  const size_t last = from + std::min(count, series_.size() - from);
  size_t k = 0;
  for (size_t i = 0; i < from; ++i) k += static_cast<size_t>(series_width_[i]);
  for (size_t i = from; i < last; ++i) {
    const SeriesPoint& p = series_[i];
    t.push_back(p.t_s);
    arrived.push_back(p.arrived);
    completed.push_back(p.completed);
    failed.push_back(p.failed);
    rejected.push_back(p.rejected);
    denied.push_back(p.denied);
    misses.push_back(p.misses);
    p50.push_back(p.p50_ms);
    p99.push_back(p.p99_ms);
    mean.push_back(p.mean_ms);
    servers.push_back(p.servers);
    store.push_back(p.store_utilization);
    nlohmann::json row = nlohmann::json::array();
    for (int s = 0; s < series_width_[i]; ++s) row.push_back(series_util_[k++]);
    util.push_back(row);
  }
  return {{"interval_s", scenario_.series_interval_s}, {"t_s", t}, {"arrived", arrived},
          {"completed", completed}, {"failed", failed}, {"rejected", rejected}, {"denied", denied},
          {"misses", misses}, {"p50_ms", p50}, {"p99_ms", p99}, {"mean_ms", mean},
          {"servers", servers}, {"store_utilization", store}, {"server_utilization", util}};
}

nlohmann::json Simulation::results() const {
  nlohmann::json r = summary();
  r["series"] = series();  // keys are kept sorted, so the text is as if built in one piece
  return r;
}

nlohmann::json Simulation::serversJson() const {
  nlohmann::json servers = nlohmann::json::array();
  for (int i = 0; i < serverCount(); ++i) {
    const Server& sv = servers_[static_cast<size_t>(i)];
    const int64_t alive_us = sv.alive_us + (sv.alive ? now_us_ - sv.alive_since : 0);
    const double cap = static_cast<double>(alive_us) * scenario_.servers.workers;
    servers.push_back({{"id", i}, {"alive", sv.alive}, {"handled", sv.handled},
                       {"utilization", cap > 0 ? static_cast<double>(sv.pool.busyUs()) / cap : 0.0},
                       {"sessions", sessions_.serverSessions(i)}});
  }
  return servers;
}

nlohmann::json Simulation::summary() const {
  const double window_us = static_cast<double>(std::max<int64_t>(now_us_ - warmup_us_, 1));
  double area = m_.in_system_area;
  if (now_us_ > warmup_us_)
    area += static_cast<double>(m_.in_system) * static_cast<double>(now_us_ - std::max(m_.area_since, warmup_us_));
  const uint64_t in_flight = m_.arrived - m_.completed - m_.failed - m_.rejected - m_.denied;
  const double lat_count = static_cast<double>(latency_.count());
  const double arrived = static_cast<double>(m_.arrived);
  return {
      {"name", scenario_.name},
      {"seed", scenario_.seed},
      {"duration_s", usToSeconds(end_us_)},
      {"time_s", usToSeconds(now_us_)},
      {"requests", {{"arrived", m_.arrived}, {"completed", m_.completed}, {"failed", m_.failed},
                    {"rejected", m_.rejected}, {"denied", m_.denied}, {"in_flight", in_flight}}},
      {"sessions", {{"misses", m_.misses}, {"lost", m_.lost}, {"created", m_.created},
                    {"live", sessions_.liveSessions(now_us_)}, {"remapped_users", m_.remapped + balancer_.repinned()},
                    {"miss_rate", m_.arrived ? static_cast<double>(m_.misses) / arrived : 0.0}}},
      {"auth", {{"revoked_accepted", m_.revoked_accepted}, {"token_refreshes", m_.token_refreshes}}},
      {"latency_ms", {{"mean", usToMs(latency_.mean())}, {"p50", usToMs(latency_.quantile(0.5))},
                      {"p90", usToMs(latency_.quantile(0.9))}, {"p99", usToMs(latency_.quantile(0.99))},
                      {"max", usToMs(static_cast<double>(latency_.max()))}, {"count", latency_.count()}}},
      {"throughput_per_s", static_cast<double>(m_.warm_completed) / (window_us / 1e6)},
      {"little", {{"mean_in_system", area / window_us},
                  {"arrival_rate_per_s", static_cast<double>(m_.warm_arrived) / (window_us / 1e6)},
                  {"mean_latency_s", lat_count > 0 ? latency_.mean() / 1e6 : 0.0}}},
      {"servers", serversJson()},
      {"store", {{"up", store_up_}, {"lookups", m_.store_lookups},
                 {"utilization", static_cast<double>(store_.busyUs()) /
                                     (static_cast<double>(std::max<int64_t>(now_us_, 1)) * scenario_.store.workers)},
                 {"sessions", sessions_.storeSessions()}}},
      {"bytes", {{"request", m_.request_bytes}, {"credentials", m_.credential_bytes}, {"store", m_.store_bytes},
                 {"credentials_per_request", m_.arrived ? static_cast<double>(m_.credential_bytes) / arrived : 0.0}}},
  };
}

nlohmann::json runScenario(const Scenario& scenario) {
  Simulation sim(scenario);
  sim.run();
  return sim.results();
}

}  // namespace sl
