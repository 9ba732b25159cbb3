#include "simulation.h"

#include <algorithm>
#include <climits>
#include <cmath>

#include "cost_model.h"
#include "portable_math.h"

namespace sl {

namespace {

constexpr uint64_t kFreeStoreSlot = ~0ULL;

int64_t toUs(double ms) { return static_cast<int64_t>(std::llround(ms * 1000.0)); }
double toS(int64_t us) { return static_cast<double>(us) / 1e6; }
double toMs(double us) { return us / 1000.0; }

}  // namespace

Simulation::Simulation(const Scenario& scenario) : scenario_(scenario) { reset(); }

void Simulation::reset() {
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
  mode_ = s.session.mode;
  rate_ = s.traffic.rate_per_s;
  mean_gap_us_ = -1e6 / rate_;
  arrival_pending_ = false;
  next_arrival_us_ = 0.0;

  requests_.clear();
  free_requests_.clear();
  servers_.clear();
  inflight_.clear();
  users_.assign(static_cast<size_t>(s.traffic.users), User{});
  any_revoked_ = false;
  for (int i = 0; i < s.servers.count; ++i) {
    servers_.emplace_back();
    inflight_.push_back(0);
    servers_.back().alive = true;
    servers_.back().slots.assign(static_cast<size_t>(s.servers.workers), -1);
    for (int w = s.servers.workers - 1; w >= 0; --w) servers_.back().free_slots.push_back(w);
    setRotation(i, true);
  }

  store_up_ = true;
  store_epoch_ = 0;
  store_data_epoch_ = 1;
  store_slots_.assign(static_cast<size_t>(s.store.workers), kFreeStoreSlot);
  store_free_.clear();
  for (int w = s.store.workers - 1; w >= 0; --w) store_free_.push_back(static_cast<uint32_t>(w));
  store_queue_.clear();
  store_sessions_ = 0;
  store_busy_us_ = store_interval_busy_us_ = 0;

  hop_us_ = toUs(s.network.hop_ms);
  store_hop_us_ = toUs(s.store.latency_ms);
  verify_us_ = toUs(s.token.verify_ms);
  ttl_us_ = static_cast<int64_t>(std::llround(s.token.ttl_s * 1e6));
  series_us_ = std::max<int64_t>(1, static_cast<int64_t>(std::llround(s.series_interval_s * 1e6)));
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
  if (s.autoscaler.enabled)
    events_.push(static_cast<int64_t>(std::llround(s.autoscaler.interval_s * 1e6)), EventType::AutoscaleTick);
  scheduleArrival();
}

void Simulation::setTrace(bool on, size_t limit) {
  trace_on_ = on;
  trace_.limit = limit;
  trace_.clear();
}

// ---------------------------------------------------------------------------------------
// Time

void Simulation::step(double dt_s) {
  if (!(dt_s > 0)) dt_s = 0;
  const double target = static_cast<double>(now_us_) + dt_s * 1e6;
  runUntil(target >= static_cast<double>(end_us_) ? end_us_ : static_cast<int64_t>(target));
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
      const Event e = events_.pop();
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
      Server& sv = servers_[e.a];
      if (sv.alive && sv.gen == e.b && !sv.draining) setRotation(static_cast<int>(e.a), true);
      break;
    }
    case EventType::AutoscaleTick:
      autoscale();
      break;
    case EventType::RollingStep: {
      const int s = static_cast<int>(e.a);
      Server& sv = servers_[e.a];
      if (!sv.alive || sv.draining) break;
      sv.restart_after_drain = true;
      setRotation(s, false);
      sv.draining = true;
      traceAction(ActionKind::RollingRestart, s, -1);
      maybeFinishDrain(s);
      break;
    }
    case EventType::SeriesTick:
      closeSeriesPoint();
      if (now_us_ < end_us_) events_.push(std::min(now_us_ + series_us_, end_us_), EventType::SeriesTick);
      break;
  }
}

// ---------------------------------------------------------------------------------------
// Requests

uint32_t Simulation::allocRequest() {
  if (!free_requests_.empty()) {
    const uint32_t r = free_requests_.back();
    free_requests_.pop_back();
    return r;
  }
  requests_.push_back(Request{});
  requests_.back().gen = 0;
  return static_cast<uint32_t>(requests_.size() - 1);
}

void Simulation::changeInSystem(int delta) {
  if (now_us_ > warmup_us_) {
    const int64_t from = std::max(m_.area_since, warmup_us_);
    m_.in_system_area += static_cast<double>(m_.in_system) * static_cast<double>(now_us_ - from);
  }
  m_.area_since = now_us_;
  m_.in_system += delta;
}

void Simulation::scheduleArrival() {
  arrival_pending_ = false;
  if (!(rate_ > 0)) return;
  // Exact times accumulate in double and events use the rounded microsecond. The next gap
  // starts from the exact time of this arrival, never from the rounded clock: restarting
  // from the clock would drop up to half a microsecond per arrival whenever it rounded up
  // (10% of the arrivals at 1e6/s). set_rate and reset() set next_arrival_us_ to the clock.
  next_arrival_us_ += mean_gap_us_ * rng_.logUniform();
  // A tiny rate puts the next arrival past the end (or at infinity): none before the end.
  if (!(next_arrival_us_ + 0.5 <= static_cast<double>(end_us_))) return;
  arrival_pending_ = true;
  arrival_us_ = static_cast<int64_t>(next_arrival_us_ + 0.5);
  arrival_seq_ = events_.takeSeq();
}

void Simulation::onArrival() {
  scheduleArrival();
  const uint32_t r = allocRequest();
  Request& q = requests_[r];
  q.user = user_pick_.sample(rng_);
  q.server = -1;
  q.slot = -1;
  q.id = next_id_++;
  q.arrival_us = now_us_;
  q.outcome = static_cast<uint8_t>(TraceOutcome::Ok);
  q.flags = mode_ == SessionMode::Token ? kFlagToken : 0;
  // Per-user state is touched only when the session mode or a revocation needs it: with
  // session mode none and no revocation, a request reads nothing indexed by its user.
  if (any_revoked_ && users_[q.user].revoked) q.flags |= kFlagRevoked;
  ++m_.arrived;
  if (now_us_ >= warmup_us_) {
    q.flags |= kFlagWarm;
    ++m_.warm_arrived;
  }
  changeInSystem(+1);
  m_.request_bytes += static_cast<uint64_t>(scenario_.network.request_bytes);
  if (mode_ == SessionMode::Token) m_.credential_bytes += static_cast<uint64_t>(scenario_.token.bytes);
  else if (mode_ != SessionMode::None) m_.credential_bytes += static_cast<uint64_t>(scenario_.session.cookie_bytes);
  if (trace_on_)
    trace_.add(q.id, static_cast<int32_t>(q.user), kNodeUsers, kNodeBalancer, TraceKind::Arrive,
               TraceOutcome::Ok, q.flags, 0, toS(now_us_), toS(now_us_));

  const int s = balancer_.pick(q.user, inflight_, rng_);
  if (s < 0) {
    finish(r, TraceOutcome::Rejected, TraceKind::Rejected, kNodeBalancer, kReasonNoServer);
    return;
  }
  q.server = s;
  q.server_gen = servers_[static_cast<size_t>(s)].gen;
  ++inflight_[static_cast<size_t>(s)];
  if (trace_on_)
    trace_.add(q.id, static_cast<int32_t>(q.user), kNodeBalancer, s, TraceKind::Dispatch, TraceOutcome::Ok,
               q.flags, 0, toS(now_us_), toS(now_us_ + hop_us_));
  if (hop_us_ == 0) {
    onAtServer(r);
  } else {
    events_.push(now_us_ + hop_us_, EventType::AtServer, r, q.gen);
  }
}

void Simulation::onAtServer(uint32_t r) {
  Request& q = requests_[r];
  const int s = q.server;
  Server& sv = servers_[static_cast<size_t>(s)];
  if (!sv.alive || sv.gen != q.server_gen) {
    finish(r, TraceOutcome::Failed, TraceKind::Failed, s, kReasonServerDied);
    return;
  }
  if (!sv.free_slots.empty()) {
    startWork(r);
    startNextOnServer(s);
    return;
  }
  if (sv.queue.size() >= static_cast<size_t>(scenario_.servers.queue_limit)) {
    finish(r, TraceOutcome::Rejected, TraceKind::Rejected, s, kReasonQueueFull);
    return;
  }
  sv.queue.push(r);
}

void Simulation::startNextOnServer(int s) {
  Server& sv = servers_[static_cast<size_t>(s)];
  while (sv.alive && !sv.free_slots.empty() && !sv.queue.empty()) startWork(sv.queue.pop());
  if (sv.draining) maybeFinishDrain(s);
}

void Simulation::startWork(uint32_t r) {
  Request& q = requests_[r];
  Server& sv = servers_[static_cast<size_t>(q.server)];
  q.slot = sv.free_slots.back();
  sv.free_slots.pop_back();
  sv.slots[static_cast<size_t>(q.slot)] = static_cast<int32_t>(r);
  q.work_start_us = now_us_;
  if (!needsStore()) {
    beginService(r);
    return;
  }
  if (!store_up_) {
    finish(r, TraceOutcome::Failed, TraceKind::Failed, q.server, kReasonStoreDown);
    return;
  }
  m_.store_bytes += static_cast<uint64_t>(mode_ == SessionMode::SharedStore ? scenario_.session.data_bytes : 16);
  if (trace_on_)
    trace_.add(q.id, static_cast<int32_t>(q.user), q.server, kNodeStore, TraceKind::ToStore,
               static_cast<TraceOutcome>(q.outcome), q.flags, 0, toS(now_us_), toS(now_us_ + store_hop_us_));
  if (store_hop_us_ == 0) onAtStore(r);
  else events_.push(now_us_ + store_hop_us_, EventType::AtStore, r, q.gen);
}

void Simulation::onAtStore(uint32_t r) {
  Request& q = requests_[r];
  const int s = q.server;
  if (!store_up_) {
    finish(r, TraceOutcome::Failed, TraceKind::Failed, kNodeStore, kReasonStoreDown);
    startNextOnServer(s);
    return;
  }
  if (!store_free_.empty()) {
    storeStart(r);
    return;
  }
  if (store_queue_.size() >= static_cast<size_t>(scenario_.store.queue_limit)) {
    finish(r, TraceOutcome::Failed, TraceKind::Failed, kNodeStore, kReasonStoreFull);
    startNextOnServer(s);
    return;
  }
  store_queue_.push((static_cast<uint64_t>(q.gen) << 32) | r);
}

void Simulation::storeStart(uint32_t r) {
  const uint32_t slot = store_free_.back();
  store_free_.pop_back();
  store_slots_[slot] = (static_cast<uint64_t>(requests_[r].gen) << 32) | r;
  const int64_t d = store_service_.sampleUs(rng_);
  store_busy_us_ += d;
  store_interval_busy_us_ += d;
  ++m_.store_lookups;
  events_.push(now_us_ + d, EventType::StoreDone, slot, store_epoch_);
}

void Simulation::onStoreDone(uint32_t slot, uint32_t epoch) {
  if (epoch != store_epoch_) return;  // the store went down meanwhile; its work is void
  const uint64_t entry = store_slots_[slot];
  store_slots_[slot] = kFreeStoreSlot;
  store_free_.push_back(slot);
  // Take the next live lookup from the queue (entries of failed requests are skipped).
  while (!store_free_.empty() && !store_queue_.empty()) {
    const uint64_t next = store_queue_.pop();
    const uint32_t nr = static_cast<uint32_t>(next);
    if (requests_[nr].gen == static_cast<uint32_t>(next >> 32)) storeStart(nr);
  }
  const uint32_t r = static_cast<uint32_t>(entry);
  const Request& q = requests_[r];
  if (q.gen != static_cast<uint32_t>(entry >> 32)) return;  // its server died meanwhile
  if (trace_on_)
    trace_.add(q.id, static_cast<int32_t>(q.user), kNodeStore, q.server, TraceKind::FromStore,
               static_cast<TraceOutcome>(q.outcome), q.flags, 0, toS(now_us_), toS(now_us_ + store_hop_us_));
  if (store_hop_us_ == 0) onBackAtServer(r);
  else events_.push(now_us_ + store_hop_us_, EventType::BackAtServer, r, q.gen);
}

void Simulation::onBackAtServer(uint32_t r) {
  const int s = requests_[r].server;
  beginService(r);
  startNextOnServer(s);
}

bool Simulation::sessionCheck(uint32_t r) {
  Request& q = requests_[r];
  User& u = users_[q.user];
  auto deny = [&] {
    finish(r, TraceOutcome::Denied, TraceKind::Failed, q.server, kReasonRevoked);
    return false;
  };
  auto miss = [&] {
    if (u.logged_in_once) {
      ++m_.misses;
      q.outcome = static_cast<uint8_t>(TraceOutcome::Miss);
    }
    u.logged_in_once = true;
    u.has_session = true;
    ++m_.created;
  };
  switch (mode_) {
    case SessionMode::None:
      return true;
    case SessionMode::ServerMemory: {
      if (u.revoked) return deny();
      Server& sv = servers_[static_cast<size_t>(q.server)];
      if (u.has_session && u.server == q.server && u.server_gen == sv.gen) return true;
      if (u.has_session && u.server >= 0 && servers_[static_cast<size_t>(u.server)].gen == u.server_gen) {
        // Logging in here orphans the session on the other server; it is dropped there.
        --servers_[static_cast<size_t>(u.server)].sessions;
      }
      miss();
      u.server = q.server;
      u.server_gen = sv.gen;
      ++sv.sessions;
      return true;
    }
    case SessionMode::SharedStore: {
      if (u.revoked) return deny();
      if (u.has_session && u.store_epoch == store_data_epoch_) return true;
      miss();
      u.store_epoch = store_data_epoch_;
      ++store_sessions_;
      return true;
    }
    case SessionMode::Token: {
      if (!u.has_session) {
        if (u.revoked) return deny();
        miss();
        u.token_expiry_us = now_us_ + ttl_us_;
        return true;
      }
      if (now_us_ >= u.token_expiry_us) {
        // An expired token is refreshed without the user noticing, unless the user is revoked.
        if (u.revoked) return deny();
        ++m_.token_refreshes;
        u.token_expiry_us = now_us_ + ttl_us_;
        return true;
      }
      if (u.revoked) {
        if (scenario_.token.deny_list) return deny();
        ++m_.revoked_accepted;  // the signature is valid: nothing on the server says otherwise
      }
      return true;
    }
  }
  return true;
}

void Simulation::beginService(uint32_t r) {
  if (mode_ != SessionMode::None && !sessionCheck(r)) return;
  Request& q = requests_[r];
  int64_t d = service_.sampleUs(rng_);
  if (mode_ == SessionMode::Token) d += verify_us_;
  events_.push(now_us_ + d, EventType::ServiceDone, r, q.gen);
}

void Simulation::onServiceDone(uint32_t r) {
  Request& q = requests_[r];
  const int s = q.server;
  ++servers_[static_cast<size_t>(s)].handled;
  releaseSlot(r);
  leaveServer(r);
  if (trace_on_)
    trace_.add(q.id, static_cast<int32_t>(q.user), s, kNodeBalancer, TraceKind::Respond,
               static_cast<TraceOutcome>(q.outcome), q.flags, 0, toS(now_us_), toS(now_us_ + hop_us_));
  if (hop_us_ == 0) onResponse(r);
  else events_.push(now_us_ + hop_us_, EventType::Response, r, q.gen);
  startNextOnServer(s);
}

void Simulation::onResponse(uint32_t r) {
  Request& q = requests_[r];
  ++m_.completed;
  if (q.flags & kFlagWarm) {
    const int64_t lat = now_us_ - q.arrival_us;
    latency_.record(lat);
    interval_latency_.record(lat);
    ++m_.warm_completed;
  }
  if (trace_on_)
    trace_.add(q.id, static_cast<int32_t>(q.user), kNodeBalancer, kNodeUsers, TraceKind::Done,
               static_cast<TraceOutcome>(q.outcome), q.flags,
               static_cast<int32_t>(std::min<int64_t>(now_us_ - q.arrival_us, INT32_MAX)), toS(now_us_), toS(now_us_));
  changeInSystem(-1);
  ++q.gen;
  free_requests_.push_back(r);
}

void Simulation::releaseSlot(uint32_t r) {
  Request& q = requests_[r];
  if (q.slot < 0) return;
  Server& sv = servers_[static_cast<size_t>(q.server)];
  if (sv.gen == q.server_gen) {
    const int64_t busy = now_us_ - q.work_start_us;
    sv.busy_us += busy;
    sv.interval_busy_us += busy;
    sv.slots[static_cast<size_t>(q.slot)] = -1;
    sv.free_slots.push_back(q.slot);
  }
  q.slot = -1;
}

void Simulation::leaveServer(uint32_t r) {
  Request& q = requests_[r];
  if (q.server >= 0 && servers_[static_cast<size_t>(q.server)].gen == q.server_gen)
    --inflight_[static_cast<size_t>(q.server)];
}

void Simulation::finish(uint32_t r, TraceOutcome o, TraceKind k, int32_t at, int32_t reason) {
  Request& q = requests_[r];
  switch (o) {
    case TraceOutcome::Rejected: ++m_.rejected; break;
    case TraceOutcome::Denied: ++m_.denied; break;
    default: ++m_.failed; break;
  }
  if (trace_on_)
    trace_.add(q.id, static_cast<int32_t>(q.user), at, at, k, o, q.flags, reason, toS(now_us_), toS(now_us_));
  releaseSlot(r);
  leaveServer(r);
  changeInSystem(-1);
  ++q.gen;
  free_requests_.push_back(r);
}

// ---------------------------------------------------------------------------------------
// Servers, store and actions

void Simulation::setRotation(int s, bool in) {
  Server& sv = servers_[static_cast<size_t>(s)];
  if (sv.in_rotation == in && balancer_.inRotation(s) == in) return;
  const Policy p = balancer_.policy();
  const bool hashed = p == Policy::IpHash || p == Policy::ConsistentHash;
  // Users moved by the change: every user up to kRemapSample users, else an even sample of
  // them scaled up, so that a membership change costs the same for a million users.
  const size_t n = users_.size();
  const size_t stride = n > kRemapSample ? n / kRemapSample : 1;
  std::vector<int32_t> before;
  if (hashed) {
    for (size_t u = 0; u < n; u += stride) before.push_back(balancer_.hashRoute(static_cast<uint32_t>(u)));
  }
  sv.in_rotation = in;
  balancer_.setInRotation(s, in);
  if (hashed) {
    uint64_t moved = 0;
    for (size_t k = 0, u = 0; k < before.size(); ++k, u += stride)
      if (before[k] >= 0 && balancer_.hashRoute(static_cast<uint32_t>(u)) != before[k]) ++moved;
    m_.remapped += stride == 1 ? moved
                               : static_cast<uint64_t>(static_cast<double>(moved) * static_cast<double>(n) /
                                                           static_cast<double>(before.size()) + 0.5);
  }
}

void Simulation::stopServer(int s, bool fail_work) {
  Server& sv = servers_[static_cast<size_t>(s)];
  if (!sv.alive) return;
  setRotation(s, false);
  if (fail_work) {
    for (size_t w = 0; w < sv.slots.size(); ++w)
      if (sv.slots[w] >= 0) finish(static_cast<uint32_t>(sv.slots[w]), TraceOutcome::Failed, TraceKind::Failed, s, kReasonServerDied);
    for (size_t i = 0; i < sv.queue.size(); ++i)
      finish(sv.queue.at(i), TraceOutcome::Failed, TraceKind::Failed, s, kReasonServerDied);
  }
  sv.queue.clear();
  m_.lost += static_cast<uint64_t>(sv.sessions);
  sv.sessions = 0;
  sv.alive = false;
  sv.draining = false;
  sv.restart_after_drain = false;
  sv.alive_us += now_us_ - sv.alive_since;
  ++sv.gen;  // requests on their way to it and its sessions are void from now on
  inflight_[static_cast<size_t>(s)] = 0;
  std::fill(sv.slots.begin(), sv.slots.end(), -1);
  sv.free_slots.clear();
  for (int w = static_cast<int>(sv.slots.size()) - 1; w >= 0; --w) sv.free_slots.push_back(w);
}

void Simulation::startServer(int s) {
  Server& sv = servers_[static_cast<size_t>(s)];
  sv.alive = true;
  sv.draining = false;
  sv.alive_since = now_us_;
  ++sv.gen;
  inflight_[static_cast<size_t>(s)] = 0;
  const int64_t startup = static_cast<int64_t>(std::llround(scenario_.servers.startup_s * 1e6));
  if (startup == 0) setRotation(s, true);
  else events_.push(now_us_ + startup, EventType::ServerReady, static_cast<uint32_t>(s), sv.gen);
}

void Simulation::maybeFinishDrain(int s) {
  Server& sv = servers_[static_cast<size_t>(s)];
  if (!sv.draining || !sv.alive || !sv.queue.empty() || sv.busy() != 0) return;
  const bool restart = sv.restart_after_drain;
  sv.restart_after_drain = false;
  stopServer(s, false);
  if (restart) startServer(s);
}

void Simulation::storeDown() {
  if (!store_up_) return;
  store_up_ = false;
  ++store_epoch_;
  // Lookups waiting in or served by the store fail; their servers' workers are freed.
  std::vector<uint64_t> doomed;
  for (uint64_t e : store_slots_)
    if (e != kFreeStoreSlot) doomed.push_back(e);
  for (size_t i = 0; i < store_queue_.size(); ++i) doomed.push_back(store_queue_.at(i));
  std::fill(store_slots_.begin(), store_slots_.end(), kFreeStoreSlot);
  store_free_.clear();
  for (int w = static_cast<int>(store_slots_.size()) - 1; w >= 0; --w) store_free_.push_back(static_cast<uint32_t>(w));
  store_queue_.clear();
  for (uint64_t e : doomed) {
    const uint32_t r = static_cast<uint32_t>(e);
    if (requests_[r].gen != static_cast<uint32_t>(e >> 32)) continue;
    const int s = requests_[r].server;
    finish(r, TraceOutcome::Failed, TraceKind::Failed, kNodeStore, kReasonStoreDown);
    startNextOnServer(s);
  }
  if (!scenario_.store.persistent) {
    m_.lost += static_cast<uint64_t>(store_sessions_);
    store_sessions_ = 0;
    ++store_data_epoch_;
  }
}

void Simulation::dropAllSessions() {
  // A change of session mode starts everyone afresh: nobody counts as logged out by it.
  for (User& u : users_) {
    const bool revoked = u.revoked;
    u = User{};
    u.revoked = revoked;
  }
  for (Server& sv : servers_) sv.sessions = 0;
  store_sessions_ = 0;
  ++store_data_epoch_;
}

void Simulation::traceAction(ActionKind k, int server, int64_t user) {
  if (trace_on_)
    trace_.add(0, static_cast<int32_t>(user), server, server, TraceKind::Action, TraceOutcome::Ok, 0,
               static_cast<int32_t>(k), toS(now_us_), toS(now_us_));
}

InputError Simulation::check(const Action& a) const {
  const int n = serverCount();
  switch (a.kind) {
    case ActionKind::KillServer:
    case ActionKind::RestartServer:
    case ActionKind::RemoveServer:
      if (a.server < 0 || a.server >= n)
        return {"$.server", "no such server (servers are numbered 0.." + std::to_string(n - 1) + ")",
                std::to_string(a.server)};
      break;
    case ActionKind::AddServer: {
      bool reusable = false;
      for (const Server& sv : servers_) reusable = reusable || !sv.alive;
      if (n >= Limits::kMaxServers && !reusable) return {"$.do", "already 256 servers, the most there can be", "\"add_server\""};
      // A new server slot adds a queue's worth of requests held and a column of the series.
      if (!reusable) return checkGrowth(n + 1, rate_);
      break;
    }
    case ActionKind::RevokeUser:
      if (a.user < 0 || a.user >= static_cast<int64_t>(users_.size()))
        return {"$.user", "no such user (users are numbered 0.." + std::to_string(users_.size() - 1) + ")",
                std::to_string(a.user)};
      break;
    default:
      break;
  }
  return {};
}

void Simulation::doAction(const Action& a) {
  switch (a.kind) {
    case ActionKind::KillServer:
      stopServer(a.server, true);
      break;
    case ActionKind::RestartServer:
      if (!servers_[static_cast<size_t>(a.server)].alive) startServer(a.server);
      break;
    case ActionKind::AddServer: {
      // Revive a stopped server before growing the pool (keeps ids and memory bounded).
      int id = -1;
      for (int i = 0; i < serverCount() && id < 0; ++i)
        if (!servers_[static_cast<size_t>(i)].alive) id = i;
      if (id < 0) {
        if (serverCount() >= Limits::kMaxServers) return;
        id = serverCount();
        servers_.emplace_back();
        inflight_.push_back(0);
        servers_.back().slots.assign(static_cast<size_t>(scenario_.servers.workers), -1);
        for (int w = scenario_.servers.workers - 1; w >= 0; --w) servers_.back().free_slots.push_back(w);
      }
      startServer(id);
      added_server_ = id;
      traceAction(a.kind, id, -1);
      return;
    }
    case ActionKind::RemoveServer: {
      Server& sv = servers_[static_cast<size_t>(a.server)];
      if (!sv.alive) break;
      if (!a.drain) {
        stopServer(a.server, true);
        break;
      }
      setRotation(a.server, false);
      sv.draining = true;
      maybeFinishDrain(a.server);
      break;
    }
    case ActionKind::StoreDown:
      storeDown();
      break;
    case ActionKind::StoreUp:
      store_up_ = true;
      break;
    case ActionKind::RevokeUser: {
      User& u = users_[static_cast<size_t>(a.user)];
      u.revoked = true;
      any_revoked_ = true;
      // Server-side sessions can be destroyed at once; a token stays valid where it is.
      if (mode_ == SessionMode::ServerMemory && u.has_session && u.server >= 0 &&
          servers_[static_cast<size_t>(u.server)].gen == u.server_gen) {
        --servers_[static_cast<size_t>(u.server)].sessions;
        u.has_session = false;
      } else if (mode_ == SessionMode::SharedStore && u.has_session && u.store_epoch == store_data_epoch_) {
        --store_sessions_;
        u.has_session = false;
      }
      traceAction(a.kind, -1, a.user);
      return;
    }
    case ActionKind::SetRate:
      rate_ = a.rate;
      mean_gap_us_ = -1e6 / rate_;
      next_arrival_us_ = static_cast<double>(now_us_);
      scheduleArrival();
      break;
    case ActionKind::SetPolicy:
      balancer_.setPolicy(a.policy);
      break;
    case ActionKind::RollingRestart: {
      // One server at a time, gap_s apart, each drained first: no request fails, but
      // sessions held in a server's memory do not survive its restart.
      const int64_t gap = static_cast<int64_t>(std::llround(a.gap_s * 1e6));
      int64_t t = now_us_;
      for (int i = 0; i < serverCount(); ++i) {
        if (!servers_[static_cast<size_t>(i)].alive) continue;
        events_.push(t, EventType::RollingStep, static_cast<uint32_t>(i));
        t += gap;
      }
      break;
    }
    case ActionKind::SetSessionMode:
      if (mode_ != a.mode) {
        mode_ = a.mode;
        dropAllSessions();
      }
      break;
  }
  traceAction(a.kind, a.server, -1);
}

InputError Simulation::checkGrowth(int servers_after, double rate_after) const {
  // Validation covered plannedServers() and the scheduled rates; past those, check again.
  const int servers = std::max(plannedServers(scenario_), servers_after);
  const double rate = std::max({rate_after, rate_, highestScheduledRate(scenario_, now_us_)});
  const double held = heldRequests(scenario_, servers, rate);
  if (held > CostLimits::kMaxHeldRequests)
    return {"$.do", "would let up to " + std::to_string(static_cast<long long>(held)) +
                        " requests be held at once; the limit is 4000000", ""};
  const double remaining_points = std::ceil(static_cast<double>(end_us_ - last_series_us_) /
                                            static_cast<double>(series_us_) - 1e-9);
  const double cells = static_cast<double>(series_util_.size()) + remaining_points * servers;
  if (cells > CostLimits::kMaxSeriesCells)
    return {"$.do", "would make the series hold " + std::to_string(static_cast<long long>(cells)) +
                        " per-server values; the limit is 2000000", ""};
  return {};
}

InputError Simulation::checkLiveCost(const Action& a) const {
  if (live_actions_.size() >= static_cast<size_t>(CostLimits::kMaxLiveActions))
    return {"$", "this run already has 10000 live actions, the most it can have (seek back to drop some)", ""};
  const double work = actionWork(a, scenario_, serverCount());
  if (plannedActionWork(scenario_) + live_work_ + work > CostLimits::kMaxActionWork)
    return {"$.do", "would take the run's action work past its limit of 200000000 steps (users reset, routes checked)",
            std::string("\"") + actionName(a.kind) + "\""};
  if (a.kind == ActionKind::SetRate) {
    const double requests = static_cast<double>(m_.arrived) + expectedRequests(scenario_, now_us_, a.rate, false);
    if (requests > CostLimits::kMaxRequests)
      return {"$.rate", "would bring the run to about " + std::to_string(static_cast<long long>(requests)) +
                            " requests; the limit is 100000000",
              describeValue(a.rate)};
    InputError err = checkGrowth(serverCount(), a.rate);
    if (!err.empty()) err.path = "$.rate", err.got = describeValue(a.rate);
    return err;
  }
  return {};
}

InputError Simulation::apply(const Action& action) {
  InputError err = check(action);
  if (err.empty()) err = checkLiveCost(action);
  if (!err.empty()) return err;
  Action a = action;
  a.at_us = now_us_;
  live_work_ += actionWork(a, scenario_, serverCount());
  added_server_ = -1;
  doAction(a);
  live_actions_.push_back(a);
  return {};
}

InputError Simulation::applyJson(const std::string& text) {
  nlohmann::json doc;
  InputError err;
  if (!parseJsonText(text, doc, err)) return err;
  JsonReader r(&doc, "$", &err);
  Action a = actionFromJson(r, toS(end_us_), /*live=*/true);
  if (!err.empty()) return err;
  return apply(a);
}

void Simulation::seek(int64_t t_us) {
  t_us = std::min(std::max<int64_t>(t_us, 0), end_us_);
  std::vector<Action> keep;
  for (const Action& a : live_actions_)
    if (a.at_us <= t_us) keep.push_back(a);
  const bool tracing = trace_on_;
  trace_on_ = false;
  reset();
  // Replaying the live actions between the same events as before reproduces the run exactly.
  for (const Action& a : keep) {
    advance(a.at_us);
    doAction(a);
  }
  advance(t_us);
  live_actions_ = keep;
  live_work_ = 0.0;
  for (const Action& a : keep) live_work_ += actionWork(a, scenario_, serverCount());
  trace_on_ = tracing;
  trace_.clear();
}

void Simulation::autoscale() {
  const AutoscalerDef& as = scenario_.autoscaler;
  const int64_t interval = static_cast<int64_t>(std::llround(as.interval_s * 1e6));
  if (now_us_ + interval <= end_us_) events_.push(now_us_ + interval, EventType::AutoscaleTick);
  int n = 0;
  int64_t busy = 0;
  for (Server& sv : servers_) {
    if (sv.in_rotation) ++n;
    busy += sv.interval_busy_us;
    sv.interval_busy_us = 0;
  }
  const double capacity = static_cast<double>(std::max(n, 1)) * scenario_.servers.workers * static_cast<double>(interval);
  const double util = static_cast<double>(busy) / capacity;
  if (last_scale_us_ >= 0 && now_us_ - last_scale_us_ < static_cast<int64_t>(std::llround(as.cooldown_s * 1e6))) return;
  int desired = static_cast<int>(std::ceil(n * util / as.target_utilization - 1e-9));
  desired = std::min(std::max(desired, as.min), as.max);
  if (desired == n) return;
  last_scale_us_ = now_us_;
  for (int k = n; k < desired; ++k) {
    Action add;
    add.kind = ActionKind::AddServer;
    if (check(add).empty()) doAction(add);
  }
  for (int k = n; k > desired; --k) {
    // Drain the highest-numbered server in rotation.
    int victim = -1;
    for (int i = serverCount() - 1; i >= 0 && victim < 0; --i)
      if (servers_[static_cast<size_t>(i)].in_rotation) victim = i;
    if (victim < 0) break;
    Action rm;
    rm.kind = ActionKind::RemoveServer;
    rm.server = victim;
    doAction(rm);
  }
}

// ---------------------------------------------------------------------------------------
// Reporting

void Simulation::closeSeriesPoint() {
  const double width = static_cast<double>(std::max<int64_t>(now_us_ - last_series_us_, 1));
  SeriesPoint p{};
  p.t_s = toS(now_us_);
  p.arrived = m_.arrived - series_base_.arrived;
  p.completed = m_.completed - series_base_.completed;
  p.failed = m_.failed - series_base_.failed;
  p.rejected = m_.rejected - series_base_.rejected;
  p.denied = m_.denied - series_base_.denied;
  p.misses = m_.misses - series_base_.misses;
  p.p50_ms = toMs(interval_latency_.quantile(0.5));
  p.p99_ms = toMs(interval_latency_.quantile(0.99));
  p.mean_ms = toMs(interval_latency_.mean());
  p.servers = static_cast<int>(balancer_.rotation().size());
  p.store_utilization = static_cast<double>(store_interval_busy_us_) / (width * scenario_.store.workers);
  store_interval_busy_us_ = 0;
  series_.push_back(p);
  series_width_.push_back(serverCount());
  for (Server& sv : servers_) {
    // Utilization from the work finished in this interval (a long request counts when done).
    const double busy = static_cast<double>(sv.busy_us - sv.series_busy_us);
    series_util_.push_back(static_cast<float>(busy / (width * scenario_.servers.workers)));
    sv.series_busy_us = sv.busy_us;
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
  v.busy = sv.busy();
  v.queued = static_cast<int>(sv.queue.size());
  v.sessions = sv.sessions;
  v.handled = sv.handled;
  return v;
}

StoreView Simulation::store() const {
  StoreView v;
  v.up = store_up_;
  v.busy = static_cast<int>(store_slots_.size() - store_free_.size());
  v.queued = static_cast<int>(store_queue_.size());
  v.sessions = store_sessions_;
  v.lookups = m_.store_lookups;
  return v;
}

size_t Simulation::footprintBytes() const {
  size_t bytes = requests_.capacity() * sizeof(Request) + free_requests_.capacity() * 4 +
                 events_.capacityBytes() + users_.capacity() * sizeof(User) + latency_.capacityBytes() +
                 interval_latency_.capacityBytes() + store_queue_.capacityBytes() + user_pick_.capacityBytes() +
                 series_.capacity() * sizeof(SeriesPoint) + series_util_.capacity() * 4 + series_width_.capacity() * 4;
  for (const Server& sv : servers_) bytes += sv.queue.capacityBytes() + sv.slots.capacity() * 8;
  return bytes;
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

nlohmann::json Simulation::summary() const {
  const double window_us = static_cast<double>(std::max<int64_t>(now_us_ - warmup_us_, 1));
  double area = m_.in_system_area;
  if (now_us_ > warmup_us_)
    area += static_cast<double>(m_.in_system) * static_cast<double>(now_us_ - std::max(m_.area_since, warmup_us_));
  int64_t live_sessions = store_sessions_;
  nlohmann::json servers = nlohmann::json::array();
  for (int i = 0; i < serverCount(); ++i) {
    const Server& sv = servers_[static_cast<size_t>(i)];
    const int64_t alive_us = sv.alive_us + (sv.alive ? now_us_ - sv.alive_since : 0);
    const double cap = static_cast<double>(alive_us) * scenario_.servers.workers;
    live_sessions += sv.sessions;
    servers.push_back({{"id", i}, {"alive", sv.alive}, {"handled", sv.handled},
                       {"utilization", cap > 0 ? static_cast<double>(sv.busy_us) / cap : 0.0},
                       {"sessions", sv.sessions}});
  }
  if (mode_ == SessionMode::Token) {
    live_sessions = 0;
    for (const User& u : users_) live_sessions += u.has_session && now_us_ < u.token_expiry_us ? 1 : 0;
  }
  const uint64_t in_flight = m_.arrived - m_.completed - m_.failed - m_.rejected - m_.denied;
  const double lat_count = static_cast<double>(latency_.count());
  return {
      {"name", scenario_.name},
      {"seed", scenario_.seed},
      {"duration_s", toS(end_us_)},
      {"time_s", toS(now_us_)},
      {"requests", {{"arrived", m_.arrived}, {"completed", m_.completed}, {"failed", m_.failed},
                    {"rejected", m_.rejected}, {"denied", m_.denied}, {"in_flight", in_flight}}},
      {"sessions", {{"misses", m_.misses}, {"lost", m_.lost}, {"created", m_.created},
                    {"live", live_sessions}, {"remapped_users", m_.remapped + balancer_.repinned()},
                    {"miss_rate", m_.arrived ? static_cast<double>(m_.misses) / static_cast<double>(m_.arrived) : 0.0}}},
      {"auth", {{"revoked_accepted", m_.revoked_accepted}, {"token_refreshes", m_.token_refreshes}}},
      {"latency_ms", {{"mean", toMs(latency_.mean())}, {"p50", toMs(latency_.quantile(0.5))},
                      {"p90", toMs(latency_.quantile(0.9))}, {"p99", toMs(latency_.quantile(0.99))},
                      {"max", toMs(static_cast<double>(latency_.max()))}, {"count", latency_.count()}}},
      {"throughput_per_s", static_cast<double>(m_.warm_completed) / (window_us / 1e6)},
      {"little", {{"mean_in_system", area / window_us},
                  {"arrival_rate_per_s", static_cast<double>(m_.warm_arrived) / (window_us / 1e6)},
                  {"mean_latency_s", lat_count > 0 ? latency_.mean() / 1e6 : 0.0}}},
      {"servers", servers},
      {"store", {{"up", store_up_}, {"lookups", m_.store_lookups},
                 {"utilization", static_cast<double>(store_busy_us_) /
                                     (static_cast<double>(std::max<int64_t>(now_us_, 1)) * scenario_.store.workers)},
                 {"sessions", store_sessions_}}},
      {"bytes", {{"request", m_.request_bytes}, {"credentials", m_.credential_bytes}, {"store", m_.store_bytes},
                 {"credentials_per_request",
                  m_.arrived ? static_cast<double>(m_.credential_bytes) / static_cast<double>(m_.arrived) : 0.0}}},
  };
}

nlohmann::json runScenario(const Scenario& scenario) {
  Simulation sim(scenario);
  sim.run();
  return sim.results();
}

}  // namespace sl
