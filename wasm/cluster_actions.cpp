// What changes the cluster while it runs: servers stopping, starting, joining and leaving the
// rotation, the store going down, timeline and live actions, seeking, and the autoscaler.
#include <algorithm>
#include <cmath>

#include "cluster_time.h"
#include "cost_model.h"
#include "simulation.h"

namespace sl {

SL_RARELY_RUN void Simulation::setRotation(int s, bool in) {
  Server& sv = servers_[static_cast<size_t>(s)];
  if (sv.in_rotation == in && balancer_.inRotation(s) == in) return;
  const Policy p = balancer_.policy();
  const bool hashed = p == Policy::IpHash || p == Policy::ConsistentHash;
  // Users moved by the change: every user up to kRemapSample users, else an even sample of
  // them scaled up, so that a membership change costs the same for a million users.
  const size_t n = static_cast<size_t>(sessions_.userCount());
  const size_t stride = n > kRemapSample ? n / kRemapSample : 1;
  std::vector<int32_t> before;
  if (hashed) {
    for (size_t u = 0; u < n; u += stride) before.push_back(balancer_.hashRoute(static_cast<uint32_t>(u)));
  }
  sv.in_rotation = in;
  balancer_.setInRotation(s, in);
  if (hashed) m_.remapped += remappedUsers(before, stride);
}

SL_RARELY_RUN uint64_t Simulation::remappedUsers(const std::vector<int32_t>& before, size_t stride) const {
  uint64_t moved = 0;
  for (size_t k = 0, u = 0; k < before.size(); ++k, u += stride)
    if (before[k] >= 0 && balancer_.hashRoute(static_cast<uint32_t>(u)) != before[k]) ++moved;
  if (stride == 1) return moved;
  const double n = static_cast<double>(sessions_.userCount());
  return static_cast<uint64_t>(static_cast<double>(moved) * n / static_cast<double>(before.size()) + 0.5);
}

SL_RARELY_RUN void Simulation::stopServer(int s, bool fail_work) {
  Server& sv = servers_[static_cast<size_t>(s)];
  if (!sv.alive) return;
  setRotation(s, false);
  if (fail_work) failServerWork(s);
  m_.lost += static_cast<uint64_t>(sessions_.serverStopped(s));
  sv.alive = false;
  sv.draining = false;
  sv.restart_after_drain = false;
  sv.alive_us += now_us_ - sv.alive_since;
  ++sv.gen;  // requests on their way to it are void from now on
  inflight_[static_cast<size_t>(s)] = 0;
  sv.pool.clear();
}

SL_RARELY_RUN void Simulation::failServerWork(int s) {
  const WorkerPool& pool = servers_[static_cast<size_t>(s)].pool;
  for (size_t w = 0; w < static_cast<size_t>(pool.workers()); ++w)
    if (pool.entry(w) != WorkerPool::kFree)
      finish(static_cast<uint32_t>(pool.entry(w)), TraceOutcome::Failed, TraceKind::Failed, s, kReasonServerDied);
  for (size_t i = 0; i < pool.queued(); ++i)
    finish(static_cast<uint32_t>(pool.queuedAt(i)), TraceOutcome::Failed, TraceKind::Failed, s, kReasonServerDied);
}

SL_RARELY_RUN void Simulation::startServer(int s) {
  Server& sv = servers_[static_cast<size_t>(s)];
  sv.alive = true;
  sv.draining = false;
  sv.alive_since = now_us_;
  ++sv.gen;
  inflight_[static_cast<size_t>(s)] = 0;
  const int64_t startup = secondsToUs(scenario_.servers.startup_s);
  if (startup == 0) setRotation(s, true);
  else events_.push(now_us_ + startup, EventType::ServerReady, static_cast<uint32_t>(s), sv.gen);
}

SL_RARELY_RUN int Simulation::addServer() {
  // Revive a stopped server before growing the pool (keeps ids and memory bounded).
  int id = -1;
  for (int i = 0; i < serverCount() && id < 0; ++i)
    if (!servers_[static_cast<size_t>(i)].alive) id = i;
  if (id < 0) {
    if (serverCount() >= Limits::kMaxServers) return -1;
    id = serverCount();
    servers_.emplace_back();
    inflight_.push_back(0);
    servers_.back().pool.reset(scenario_.servers.workers, scenario_.servers.queue_limit);
    sessions_.addServer();
  }
  startServer(id);
  return id;
}

SL_RARELY_RUN void Simulation::removeServer(int s, bool drain) {
  Server& sv = servers_[static_cast<size_t>(s)];
  if (!sv.alive) return;
  if (!drain) {
    stopServer(s, true);
    return;
  }
  setRotation(s, false);
  sv.draining = true;
  maybeFinishDrain(s);
}

SL_RARELY_RUN void Simulation::startRollingRestart(double gap_s) {
  // One server at a time, gap_s apart, each drained first: no request fails, but
  // sessions held in a server's memory do not survive its restart.
  const int64_t gap = secondsToUs(gap_s);
  int64_t t = now_us_;
  for (int i = 0; i < serverCount(); ++i) {
    if (!servers_[static_cast<size_t>(i)].alive) continue;
    events_.push(t, EventType::RollingStep, static_cast<uint32_t>(i));
    t += gap;
  }
}

SL_RARELY_RUN void Simulation::rollingStep(int s) {
  Server& sv = servers_[static_cast<size_t>(s)];
  if (!sv.alive || sv.draining) return;
  sv.restart_after_drain = true;
  setRotation(s, false);
  sv.draining = true;
  traceAction(ActionKind::RollingRestart, s, -1);
  maybeFinishDrain(s);
}

SL_RARELY_RUN void Simulation::maybeFinishDrain(int s) {
  Server& sv = servers_[static_cast<size_t>(s)];
  if (!sv.draining || !sv.alive || !sv.pool.queueEmpty() || sv.pool.busy() != 0) return;
  const bool restart = sv.restart_after_drain;
  sv.restart_after_drain = false;
  stopServer(s, false);
  if (restart) startServer(s);
}

SL_RARELY_RUN void Simulation::storeDown() {
  if (!store_up_) return;
  store_up_ = false;
  ++store_epoch_;
  // Lookups waiting in or served by the store fail; their servers' workers are freed.
  std::vector<uint64_t> doomed;
  for (size_t w = 0; w < static_cast<size_t>(store_.workers()); ++w)
    if (store_.entry(w) != WorkerPool::kFree) doomed.push_back(store_.entry(w));
  for (size_t i = 0; i < store_.queued(); ++i) doomed.push_back(store_.queuedAt(i));
  store_.clear();
  for (uint64_t e : doomed) {
    const uint32_t r = static_cast<uint32_t>(e);
    if (requests_[r].gen != static_cast<uint32_t>(e >> 32)) continue;
    const int s = requests_[r].server;
    finish(r, TraceOutcome::Failed, TraceKind::Failed, kNodeStore, kReasonStoreDown);
    startNextOnServer(s);
  }
  if (!scenario_.store.persistent) m_.lost += static_cast<uint64_t>(sessions_.storeLost());
}

SL_RARELY_RUN void Simulation::traceAction(ActionKind k, int server, int64_t user) {
  if (trace_on_)
    trace_.add(0, static_cast<int32_t>(user), server, server, TraceKind::Action, TraceOutcome::Ok, 0,
               static_cast<int32_t>(k), usToSeconds(now_us_), usToSeconds(now_us_));
}

SL_RARELY_RUN InputError Simulation::check(const Action& a) const {
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
      if (a.user < 0 || a.user >= sessions_.userCount())
        return {"$.user", "no such user (users are numbered 0.." + std::to_string(sessions_.userCount() - 1) + ")",
                std::to_string(a.user)};
      break;
    default:
      break;
  }
  return {};
}

SL_RARELY_RUN void Simulation::doAction(const Action& a) {
  switch (a.kind) {
    case ActionKind::KillServer:
      stopServer(a.server, true);
      break;
    case ActionKind::RestartServer:
      if (!servers_[static_cast<size_t>(a.server)].alive) startServer(a.server);
      break;
    case ActionKind::AddServer: {
      const int id = addServer();
      if (id < 0) return;
      added_server_ = id;
      traceAction(a.kind, id, -1);
      return;
    }
    case ActionKind::RemoveServer:
      removeServer(a.server, a.drain);
      break;
    case ActionKind::StoreDown:
      storeDown();
      break;
    case ActionKind::StoreUp:
      store_up_ = true;
      break;
    case ActionKind::RevokeUser:
      sessions_.revoke(a.user);
      traceAction(a.kind, -1, a.user);
      return;
    case ActionKind::SetRate:
      rate_ = a.rate;
      mean_gap_us_ = -1e6 / rate_;
      next_arrival_us_ = static_cast<double>(now_us_);
      scheduleArrival();
      break;
    case ActionKind::SetPolicy:
      balancer_.setPolicy(a.policy);
      break;
    case ActionKind::RollingRestart:
      startRollingRestart(a.gap_s);
      break;
    case ActionKind::SetSessionMode:
      sessions_.setMode(a.mode);
      sessionModeChanged();
      break;
  }
  traceAction(a.kind, a.server, -1);
}

SL_RARELY_RUN InputError Simulation::checkGrowth(int servers_after, double rate_after) const {
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

SL_RARELY_RUN InputError Simulation::checkLiveCost(const Action& a) const {
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

SL_RARELY_RUN InputError Simulation::apply(const Action& action) {
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

SL_RARELY_RUN InputError Simulation::applyJson(const std::string& text) {
  nlohmann::json doc;
  InputError err;
  if (!parseJsonText(text, doc, err)) return err;
  JsonReader r(&doc, "$", &err);
  Action a = actionFromJson(r, usToSeconds(end_us_), /*live=*/true);
  if (!err.empty()) return err;
  return apply(a);
}

SL_RARELY_RUN void Simulation::seek(int64_t t_us) {
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

SL_RARELY_RUN void Simulation::autoscale() {
  const AutoscalerDef& as = scenario_.autoscaler;
  const int64_t interval = secondsToUs(as.interval_s);
  if (now_us_ + interval <= end_us_) events_.push(now_us_ + interval, EventType::AutoscaleTick);
  int n = 0;
  int64_t busy = 0;
  for (Server& sv : servers_) {
    if (sv.in_rotation) ++n;
    busy += sv.pool.takeIntervalBusyUs();
  }
  const double capacity = static_cast<double>(std::max(n, 1)) * scenario_.servers.workers * static_cast<double>(interval);
  const double util = static_cast<double>(busy) / capacity;
  if (last_scale_us_ >= 0 && now_us_ - last_scale_us_ < secondsToUs(as.cooldown_s)) return;
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
    const int victim = autoscaleVictim();
    if (victim < 0) break;
    Action rm;
    rm.kind = ActionKind::RemoveServer;
    rm.server = victim;
    doAction(rm);
  }
}

SL_RARELY_RUN int Simulation::autoscaleVictim() const {
  // The highest-numbered server in rotation is drained first.
  for (int i = serverCount() - 1; i >= 0; --i)
    if (servers_[static_cast<size_t>(i)].in_rotation) return i;
  return -1;
}

}  // namespace sl
