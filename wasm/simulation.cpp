#include "simulation.h"

#include <algorithm>
#include <cmath>

#include "cluster_time.h"

namespace sl {

SL_RARELY_RUN Simulation::Simulation(const Scenario& scenario) : scenario_(scenario) { reset(); }

SL_RARELY_RUN void Simulation::reset() {
  const Scenario& s = scenario_;
  end_us_ = static_cast<int64_t>(std::llround(s.duration_s * 1e6));
  warmup_us_ = static_cast<int64_t>(std::llround(s.warmup_s * 1e6));
  now_us_ = 0;
  rng_ = Random(s.seed);
  events_ = EventQueue();
  service_ = Distribution(s.servers.service);
  store_service_ = Distribution(s.store.service);
  user_pick_ = AliasTable::zipf(static_cast<uint32_t>(s.traffic.users), s.traffic.user_skew);
  balancer_ = Balancer(s.policy, s.traffic.users);
  sessions_.reset(s, s.traffic.users, s.servers.count);
  sessionModeChanged();
  rate_ = s.traffic.rate_per_s;
  mean_gap_us_ = -1e6 / rate_;
  arrival_pending_ = false;
  next_arrival_us_ = 0.0;

  requests_.clear();
  free_requests_.clear();
  servers_.clear();
  inflight_.clear();
  for (int i = 0; i < s.servers.count; ++i) {
    servers_.emplace_back();
    inflight_.push_back(0);
    servers_.back().alive = true;
    servers_.back().pool.reset(s.servers.workers, s.servers.queue_limit);
    setRotation(i, true);
  }

  store_up_ = true;
  store_epoch_ = 0;
  store_.reset(s.store.workers, s.store.queue_limit);

  hop_us_ = msToUs(s.network.hop_ms);
  store_hop_us_ = msToUs(s.store.latency_ms);
  series_us_ = std::max<int64_t>(1, secondsToUs(s.series_interval_s));
  last_scale_us_ = -1;
  last_series_us_ = 0;

  m_ = Metrics{};
  series_base_ = Metrics{};
  latency_.clear();
  interval_latency_.clear();
  series_.clear();
  series_util_.clear();
  series_width_.clear();
  trace_.clear();
  next_id_ = 0;

  for (size_t i = 0; i < s.timeline.size(); ++i)
    events_.push(s.timeline[i].at_us, EventType::Timeline, static_cast<uint32_t>(i));
  events_.push(std::min(series_us_, end_us_), EventType::SeriesTick);
  if (s.autoscaler.enabled) events_.push(secondsToUs(s.autoscaler.interval_s), EventType::AutoscaleTick);
  scheduleArrival();
}

void Simulation::sessionModeChanged() {
  const SessionMode mode = sessions_.mode();
  uses_store_ = sl::usesStore(mode, scenario_);
  mode_flags_ = carriesToken(mode) ? kFlagToken : 0;
  credential_bytes_ = credentialBytes(mode, scenario_);
  store_lookup_bytes_ = storeLookupBytes(mode, scenario_);
  session_work_us_ = sessionWorkUs(mode, scenario_);
}

void Simulation::setTrace(bool on, size_t limit) {
  trace_on_ = on;
  trace_.limit = limit;
  trace_.clear();
}

void Simulation::step(double dt_s) {
  if (!(dt_s > 0)) dt_s = 0;
  // Rounded, not truncated: a step of (1.2 - 1.1) s from 1.1 s must land on 1.2 s, although
  // the difference of the two doubles is a hair under 0.1 s.
  const double target = static_cast<double>(now_us_) + dt_s * 1e6;
  runUntil(target >= static_cast<double>(end_us_) ? end_us_ : static_cast<int64_t>(std::llround(target)));
}

void Simulation::runUntil(int64_t t_us) {
  trace_.clear();
  advance(t_us);
}

void Simulation::advance(int64_t t_us) {
  t_us = std::min(std::max(t_us, now_us_), end_us_);
  for (;;) {
    const bool event_due = !events_.empty() && events_.top().time_us <= t_us;
    const bool arrival_due = arrival_pending_ && arrival_us_ <= t_us;
    if (!event_due && !arrival_due) break;
    if (arrival_due && (!event_due || arrival_us_ < events_.top().time_us ||
                        (arrival_us_ == events_.top().time_us && arrival_seq_ < events_.top().seq))) {
      now_us_ = arrival_us_;
      arrival_pending_ = false;
      onArrival();
    } else {
      const Event e = events_.take();
      now_us_ = e.time_us;
      process(e);
    }
  }
  now_us_ = t_us;
}

void Simulation::process(const Event& e) {
  switch (e.type) {
    case EventType::AtServer:
      if (requests_[e.a].gen == e.b) onAtServer(e.a);
      break;
    case EventType::AtStore:
      if (requests_[e.a].gen == e.b) onAtStore(e.a);
      break;
    case EventType::StoreDone:
      onStoreDone(e.a, e.b);
      break;
    case EventType::BackAtServer:
      if (requests_[e.a].gen == e.b) onBackAtServer(e.a);
      break;
    case EventType::ServiceDone:
      if (requests_[e.a].gen == e.b) onServiceDone(e.a);
      break;
    case EventType::Response:
      if (requests_[e.a].gen == e.b) onResponse(e.a);
      break;
    case EventType::Timeline:
      doAction(scenario_.timeline[e.a]);
      break;
    case EventType::ServerReady: {
      const Server& sv = servers_[e.a];
      if (sv.alive && sv.gen == e.b && !sv.draining) setRotation(static_cast<int>(e.a), true);
      break;
    }
    case EventType::AutoscaleTick:
      autoscale();
      break;
    case EventType::RollingStep:
      rollingStep(static_cast<int>(e.a));
      break;
    case EventType::SeriesTick:
      closeSeriesPoint();
      if (now_us_ < end_us_) events_.push(std::min(now_us_ + series_us_, end_us_), EventType::SeriesTick);
      break;
  }
}

size_t Simulation::footprintBytes() const {
  size_t bytes = requests_.capacity() * sizeof(Request) + free_requests_.capacity() * 4 +
                 events_.capacityBytes() + sessions_.capacityBytes() + latency_.capacityBytes() +
                 interval_latency_.capacityBytes() + store_.capacityBytes() + user_pick_.capacityBytes() +
                 series_.capacity() * sizeof(SeriesPoint) + series_util_.capacity() * 4 + series_width_.capacity() * 4;
  for (const Server& sv : servers_) bytes += sv.pool.capacityBytes();
  return bytes;
}

}  // namespace sl
