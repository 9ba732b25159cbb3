// The path of one request through the cluster model: arrival at the balancer, dispatch, a
// server's queue and workers, the session store, service and the response.
#include <algorithm>
#include <climits>

#include "cluster_time.h"
#include "simulation.h"

namespace sl {

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
  q.flags = mode_flags_;
  // Per-user state is touched only when the session mode or a revocation needs it: with
  // session mode none and no revocation, a request reads nothing indexed by its user.
  if (sessions_.anyRevoked() && sessions_.revoked(q.user)) q.flags |= kFlagRevoked;
  ++m_.arrived;
  if (now_us_ >= warmup_us_) {
    q.flags |= kFlagWarm;
    ++m_.warm_arrived;
  }
  changeInSystem(+1);
  m_.request_bytes += static_cast<uint64_t>(scenario_.network.request_bytes);
  m_.credential_bytes += credential_bytes_;
  if (trace_on_)
    trace_.add(q.id, static_cast<int32_t>(q.user), kNodeUsers, kNodeBalancer, TraceKind::Arrive,
               TraceOutcome::Ok, q.flags, 0, usToSeconds(now_us_), usToSeconds(now_us_));
  dispatch(r);
}

void Simulation::dispatch(uint32_t r) {
  Request& q = requests_[r];
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
               q.flags, 0, usToSeconds(now_us_), usToSeconds(now_us_ + hop_us_));
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
  if (sv.pool.hasFree()) {
    startWork(r);
    startNextOnServer(s);
    return;
  }
  if (sv.pool.queueFull()) {
    finish(r, TraceOutcome::Rejected, TraceKind::Rejected, s, kReasonQueueFull);
    return;
  }
  sv.pool.enqueue(r);
}

void Simulation::startNextOnServer(int s) {
  Server& sv = servers_[static_cast<size_t>(s)];
  while (sv.alive && sv.pool.hasFree() && !sv.pool.queueEmpty())
    startWork(static_cast<uint32_t>(sv.pool.dequeue()));
  if (sv.draining) maybeFinishDrain(s);
}

void Simulation::startWork(uint32_t r) {
  Request& q = requests_[r];
  Server& sv = servers_[static_cast<size_t>(q.server)];
  q.slot = static_cast<int32_t>(sv.pool.take(r));
  q.work_start_us = now_us_;
  if (!uses_store_) {
    beginService(r);
    return;
  }
  if (!store_up_) {
    finish(r, TraceOutcome::Failed, TraceKind::Failed, q.server, kReasonStoreDown);
    return;
  }
  m_.store_bytes += store_lookup_bytes_;
  if (trace_on_)
    trace_.add(q.id, static_cast<int32_t>(q.user), q.server, kNodeStore, TraceKind::ToStore,
               static_cast<TraceOutcome>(q.outcome), q.flags, 0, usToSeconds(now_us_),
               usToSeconds(now_us_ + store_hop_us_));
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
  if (store_.hasFree()) {
    storeStart(r);
    return;
  }
  if (store_.queueFull()) {
    finish(r, TraceOutcome::Failed, TraceKind::Failed, kNodeStore, kReasonStoreFull);
    startNextOnServer(s);
    return;
  }
  store_.enqueue((static_cast<uint64_t>(q.gen) << 32) | r);
}

void Simulation::storeStart(uint32_t r) {
  const uint32_t slot = store_.take((static_cast<uint64_t>(requests_[r].gen) << 32) | r);
  const int64_t d = store_service_.sampleUs(rng_);
  store_.addBusy(d);
  ++m_.store_lookups;
  events_.push(now_us_ + d, EventType::StoreDone, slot, store_epoch_);
}

void Simulation::onStoreDone(uint32_t slot, uint32_t epoch) {
  if (epoch != store_epoch_) return;  // the store went down meanwhile; its work is void
  const uint64_t entry = store_.release(slot);
  // Take the next live lookup from the queue (entries of failed requests are skipped).
  while (store_.hasFree() && !store_.queueEmpty()) {
    const uint64_t next = store_.dequeue();
    const uint32_t nr = static_cast<uint32_t>(next);
    if (requests_[nr].gen == static_cast<uint32_t>(next >> 32)) storeStart(nr);
  }
  const uint32_t r = static_cast<uint32_t>(entry);
  const Request& q = requests_[r];
  if (q.gen != static_cast<uint32_t>(entry >> 32)) return;  // its server died meanwhile
  if (trace_on_)
    trace_.add(q.id, static_cast<int32_t>(q.user), kNodeStore, q.server, TraceKind::FromStore,
               static_cast<TraceOutcome>(q.outcome), q.flags, 0, usToSeconds(now_us_),
               usToSeconds(now_us_ + store_hop_us_));
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
  switch (sessions_.check(q.user, q.server, now_us_, m_)) {
    case SessionVerdict::Denied:
      finish(r, TraceOutcome::Denied, TraceKind::Failed, q.server, kReasonRevoked);
      return false;
    case SessionVerdict::Missed:
      q.outcome = static_cast<uint8_t>(TraceOutcome::Miss);
      return true;
    case SessionVerdict::Valid:
      break;
  }
  return true;
}

void Simulation::beginService(uint32_t r) {
  if (sessions_.mode() != SessionMode::None && !sessionCheck(r)) return;
  Request& q = requests_[r];
  const int64_t d = service_.sampleUs(rng_) + session_work_us_;
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
               static_cast<TraceOutcome>(q.outcome), q.flags, 0, usToSeconds(now_us_),
               usToSeconds(now_us_ + hop_us_));
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
               static_cast<int32_t>(std::min<int64_t>(now_us_ - q.arrival_us, INT32_MAX)), usToSeconds(now_us_),
               usToSeconds(now_us_));
  changeInSystem(-1);
  ++q.gen;
  free_requests_.push_back(r);
}

void Simulation::releaseSlot(uint32_t r) {
  Request& q = requests_[r];
  if (q.slot < 0) return;
  Server& sv = servers_[static_cast<size_t>(q.server)];
  if (sv.gen == q.server_gen) {
    sv.pool.addBusy(now_us_ - q.work_start_us);
    sv.pool.release(static_cast<uint32_t>(q.slot));
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
    trace_.add(q.id, static_cast<int32_t>(q.user), at, at, k, o, q.flags, reason, usToSeconds(now_us_),
               usToSeconds(now_us_));
  releaseSlot(r);
  leaveServer(r);
  changeInSystem(-1);
  ++q.gen;
  free_requests_.push_back(r);
}

}  // namespace sl
