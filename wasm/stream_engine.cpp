#include "stream_engine.h"

#include <algorithm>

namespace sl {

namespace {

constexpr uint64_t kProcessStream = 0x70726f63657373ULL;

double round3(double x) { return std::floor(x * 1000.0 + 0.5) / 1000.0; }

int widestRoute(const StreamScenario& s) {
  int routes = 1;
  for (const StreamOperatorDef& op : s.pipeline)
    if (op.kind == StreamOpKind::Route) routes = std::max(routes, op.outputs);
  return routes;
}

}  // namespace

SL_RARELY_RUN StreamEngine::StreamEngine(const StreamScenario& s)
    : sc(s),
      end_us(streamUs(s.duration_s)),
      source(s.source, s.seed, streamUs(s.duration_s)),
      rng(mix64(s.seed ^ kProcessStream)),
      event_dist(s.processing.event),
      sink(widestRoute(s), s.sink.idempotent) {
  failover_us = streamUs(s.processing.failover_s);
  series_us = std::max<int64_t>(1, streamUs(s.series_interval_s));
  // Input positions are committed in every mode; the mode decides what is committed with them.
  checkpoint_us = std::max<int64_t>(1, streamUs(s.checkpoint.interval_s));
  window_us.assign(s.pipeline.size(), 0);
  slot_of.assign(s.pipeline.size(), -1);
  for (size_t i = 0; i < s.pipeline.size(); ++i) {
    if (!s.pipeline[i].stateful()) continue;
    window_us[i] = std::max<int64_t>(1, streamUs(s.pipeline[i].window_s));
    slot_of[i] = static_cast<int>(stateful.size());
    stateful.push_back(static_cast<int>(i));
  }
  workers.assign(static_cast<size_t>(s.workers), Worker{});
  parts.resize(static_cast<size_t>(s.partitions));
  const bool tracked = s.checkpoint.mode != CheckpointMode::None;
  for (int p = 0; p < s.partitions; ++p) {
    Partition& part = parts[static_cast<size_t>(p)];
    part.home = p % s.workers;
    part.owner = part.home;
    part.state.resize(stateful.size());
    for (StreamStateStore& st : part.state) st.setTracking(tracked);
    ++workers[static_cast<size_t>(part.home)].owned;
  }
  for (size_t i = 0; i < s.timeline.size(); ++i)
    events.push(s.timeline[i].at_us, StreamEvent::Timeline, static_cast<uint32_t>(i));
  if (checkpoint_us <= end_us) events.push(checkpoint_us, StreamEvent::Checkpoint);
  scheduleTick();
  events.push(std::min(series_us, end_us), StreamEvent::Series);
  has_next = source.next(next_rec);
  if (has_next) events.push(next_rec.t_us, StreamEvent::Arrival);
}

void StreamEngine::emitTrace(StreamTraceKind k, int32_t w, int32_t p, int32_t key, uint32_t seq, double v,
                             int32_t det, uint8_t fl, int64_t t0, int64_t t1) {
  if (trace) trace->add(k, w, p, key, seq, v, det, fl, streamS(t0), streamS(t1));
}

void StreamEngine::runUntil(int64_t t_us) {
  held = false;
  const int64_t target = std::min(std::max(t_us, now), end_us);
  while (!events.empty() && events.top().time_us <= target) {
    const auto& top = events.top();
    if (hold_before_crash && !reference && top.type == StreamEvent::Timeline &&
        sc.timeline[top.a].kind == StreamActionKind::KillWorker) {
      now = top.time_us;
      held = true;
      return;
    }
    const auto e = events.pop();
    now = e.time_us;
    process(e);
  }
  now = target;
  if (now >= end_us && !finalized) finalize();
}

void StreamEngine::process(const BasicEvent<StreamEvent>& e) {
  switch (e.type) {
    case StreamEvent::Arrival: onArrival(); break;
    case StreamEvent::Done: onDone(static_cast<int>(e.a), e.b); break;
    case StreamEvent::Timeline:
      if (!reference) doAction(sc.timeline[e.a]);
      break;
    case StreamEvent::Failover: onFailover(static_cast<int>(e.a), e.b); break;
    case StreamEvent::Checkpoint: onCheckpoint(); break;
    case StreamEvent::Tick: onTick(); break;
    case StreamEvent::Wake: onWake(static_cast<int>(e.a), e.b); break;
    case StreamEvent::Series: onSeries(); break;
  }
}

// The job stops with a final commit, so exactly_once output since the last checkpoint counts.
void StreamEngine::finalize() {
  finalized = true;
  if (sc.checkpoint.mode == CheckpointMode::ExactlyOnce)
    for (Partition& p : parts) commitOutput(p);
}

void StreamEngine::onArrival() {
  const StreamRecord r = next_rec;
  const int pi = streamPartitionOf(r.key, sc.partitions);
  Partition& p = parts[static_cast<size_t>(pi)];
  p.log.push_back(r);
  ++in_count;
  ++interval.in;
  addBacklog(1);
  emitTrace(StreamTraceKind::Arrive, -1, pi, static_cast<int32_t>(r.key), r.seq, static_cast<double>(r.value), -1, 0,
            now, now);
  if (p.owner >= 0) startNext(p.owner);
  has_next = source.next(next_rec);
  if (has_next) events.push(next_rec.t_us, StreamEvent::Arrival);
}

void StreamEngine::addBacklog(int64_t delta) {
  backlog = static_cast<uint64_t>(static_cast<int64_t>(backlog) + delta);
  backlog_max = std::max(backlog_max, backlog);
}

// Each worker takes the oldest pending event among its partitions, so it serves them fairly.
void StreamEngine::startNext(int w) {
  Worker& k = workers[static_cast<size_t>(w)];
  if (!k.alive || k.busy || k.paused) return;
  int best = -1;
  uint32_t best_seq = 0;
  for (size_t i = 0; i < parts.size(); ++i) {
    const Partition& p = parts[i];
    if (p.owner != w || p.in_service || p.next >= p.end()) continue;
    const uint32_t seq = p.log[static_cast<size_t>(p.next - p.base)].seq;
    if (best < 0 || seq < best_seq) {
      best = static_cast<int>(i);
      best_seq = seq;
    }
  }
  if (best < 0) {
    // Idle: every event of its partitions is processed, so windows ending by now are complete.
    for (size_t i = 0; i < parts.size(); ++i)
      if (parts[i].owner == w && !parts[i].in_service) closeWindows(static_cast<int>(i), now, w, false);
    return;
  }
  Partition& p = parts[static_cast<size_t>(best)];
  p.in_service = true;
  k.busy = true;
  k.part = best;
  k.offset = p.next;
  k.start_us = now;
  events.push(now + event_dist.sampleUs(rng), StreamEvent::Done, static_cast<uint32_t>(w), k.gen);
}

void StreamEngine::onDone(int w, uint32_t gen) {
  Worker& k = workers[static_cast<size_t>(w)];
  if (!k.alive || k.gen != gen || !k.busy) return;
  k.busy = false;
  const int pi = k.part;
  Partition& p = parts[static_cast<size_t>(pi)];
  p.in_service = false;
  const StreamRecord r = p.log[static_cast<size_t>(k.offset - p.base)];
  const bool replay = k.offset < p.high;
  processEvent(pi, r, replay, w, k.start_us);
  p.next = k.offset + 1;
  if (p.next > p.high) p.high = p.next;
  if (replay) ++replayed;
  ++processed;
  ++interval.processed;
  ++k.processed;
  k.busy_us += now - k.start_us;
  addBacklog(-1);
  lag.record(now - r.t_us);
  interval_lag.record(now - r.t_us);
  checkRecovery(pi);
  trim(p);
  // The partition may have been handed to its restarted home worker meanwhile.
  if (p.owner >= 0 && p.owner != w) startNext(p.owner);
  if (k.pending_pause > 0) {
    pauseWorker(w, k.pending_pause);
    k.pending_pause = 0;
  } else {
    startNext(w);
  }
}

void StreamEngine::processEvent(int pi, const StreamRecord& r, bool replay, int w, int64_t start) {
  Partition& p = parts[static_cast<size_t>(pi)];
  // The log is in event-time order, so this event proves earlier windows complete.
  closeWindows(pi, r.t_us, w, replay);
  int route = -1;
  bool dropped = false;
  const int64_t v = applyOperators(p, r, route, dropped);
  uint8_t flags = static_cast<uint8_t>((dropped ? kStreamFiltered : 0) | (replay ? kStreamReplayed : 0));
  if (dropped) {
    ++filtered;
  } else {
    ++interval.out;
    flags |= output(p, StreamEmission{r.seq, v, route});
  }
  emitTrace(StreamTraceKind::Process, w, pi, static_cast<int32_t>(r.key), r.seq, static_cast<double>(v), route, flags,
            start, now);
}

// Runs the pipeline on one event; returns the value after the maps.
int64_t StreamEngine::applyOperators(Partition& p, const StreamRecord& r, int& route, bool& dropped) {
  int64_t v = r.value;
  for (size_t i = 0; i < sc.pipeline.size() && !dropped; ++i) {
    const StreamOperatorDef& op = sc.pipeline[i];
    switch (op.kind) {
      case StreamOpKind::Filter: {
        const double f = op.field == StreamField::Key ? static_cast<double>(r.key) : static_cast<double>(v);
        dropped = !(f >= op.min);
        break;
      }
      case StreamOpKind::Map: {
        // Whole-number values keep window sums exact whatever order they are added in.
        double m = static_cast<double>(v) * op.scale;
        m = std::min(StreamLimits::kMaxAbsValue, std::max(-StreamLimits::kMaxAbsValue, m));
        v = static_cast<int64_t>(std::llround(m));
        break;
      }
      case StreamOpKind::Route: {
        const uint64_t h = mix64(op.field == StreamField::Key ? r.key : static_cast<uint64_t>(v));
        route = static_cast<int>(h % static_cast<uint64_t>(op.outputs));
        break;
      }
      case StreamOpKind::WindowCount:
      case StreamOpKind::WindowSum: {
        const uint32_t win = static_cast<uint32_t>(r.t_us / window_us[i]);
        p.state[static_cast<size_t>(slot_of[i])].add(StreamStateStore::keyOf(win, r.key),
                                                     op.kind == StreamOpKind::WindowCount ? 1 : v);
        break;
      }
    }
  }
  return v;
}

// Sends an event's output downstream, or holds it for the next commit (exactly_once).
// Returns the trace flags of what the sink did with it.
uint8_t StreamEngine::output(Partition& p, const StreamEmission& e) {
  if (sc.checkpoint.mode == CheckpointMode::ExactlyOnce) {
    p.pending.out.push_back(e);
    return 0;
  }
  const uint64_t dropped_before = sink.deduplicated;
  if (sink.emit(e)) return 0;
  if (sink.deduplicated > dropped_before) return kStreamDeduplicated;
  ++interval.duplicates;
  return kStreamDuplicate;
}

void StreamEngine::closeWindows(int pi, int64_t watermark, int w, bool replay) {
  Partition& p = parts[static_cast<size_t>(pi)];
  for (size_t s = 0; s < stateful.size(); ++s) {
    const int op = stateful[s];
    const int64_t width = window_us[static_cast<size_t>(op)];
    StreamStateStore& st = p.state[s];
    while (!st.empty()) {
      const int64_t win = StreamStateStore::windowOf(st.entries().begin()->first);
      if ((win + 1) * width > watermark) break;
      const std::pair<uint64_t, int64_t> kv = st.popFront();
      emitWindow(p, pi, op, kv.first, kv.second, w, replay);
    }
  }
}

void StreamEngine::emitWindow(Partition& p, int pi, int op, uint64_t sk, int64_t value, int w, bool replay) {
  const uint64_t id = streamWindowId(op, sk);
  ++interval.windows;
  if (trace) {
    uint8_t fl = replay ? kStreamReplayed : 0;
    if (lost.count(id)) fl |= kStreamLostState;
    if (sink.windows().count(id)) fl |= kStreamRepeat;
    emitTrace(StreamTraceKind::Window, w, pi, static_cast<int32_t>(sk & 0xffffffffu), StreamStateStore::windowOf(sk),
              static_cast<double>(value), op, fl, now, now);
  }
  if (sc.checkpoint.mode == CheckpointMode::ExactlyOnce) {
    p.pending.windows.push_back({id, value});
    return;
  }
  sink.emitWindow(id, value);
  if (sc.checkpoint.mode == CheckpointMode::AtLeastOnce) p.pending.windows.push_back({id, value});
}

void StreamEngine::scheduleTick() {
  int64_t next = -1;
  for (int op : stateful) {
    const int64_t width = window_us[static_cast<size_t>(op)];
    const int64_t b = (now / width + 1) * width;
    if (next < 0 || b < next) next = b;
  }
  if (next > 0 && next <= end_us) events.push(next, StreamEvent::Tick);
}

void StreamEngine::onTick() {
  for (size_t i = 0; i < parts.size(); ++i) {
    const Partition& p = parts[i];
    if (p.owner < 0) continue;
    const int64_t wm = p.next < p.end() ? p.log[static_cast<size_t>(p.next - p.base)].t_us : now;
    closeWindows(static_cast<int>(i), wm, p.owner, false);
  }
  scheduleTick();
}

void StreamEngine::onSeries() {
  interval.t_s = streamS(now);
  interval.backlog = backlog;
  interval.lag_p99_ms = round3(interval_lag.quantile(0.99) / 1000.0);
  int alive = 0;
  for (const Worker& k : workers) alive += k.alive ? 1 : 0;
  interval.alive = alive;
  series.push_back(interval);
  interval = SeriesPoint{};
  interval_lag.clear();
  if (now < end_us) events.push(std::min(now + series_us, end_us), StreamEvent::Series);
}

// The log is kept from the committed position, where a recovery rewinds to.
void StreamEngine::trim(Partition& p) {
  const uint64_t keep = std::min(p.next, p.ckpt);
  const uint64_t dead = keep - p.base;
  if (dead < 1024 || dead * 2 < p.log.size()) return;
  p.log.erase(p.log.begin(), p.log.begin() + static_cast<std::ptrdiff_t>(dead));
  p.base = keep;
}

int64_t StreamEngine::stateEntries(const Partition& p) const {
  int64_t n = 0;
  for (const StreamStateStore& st : p.state) n += st.size();
  return n;
}

int64_t StreamEngine::workerEntries(int w) const {
  int64_t n = 0;
  for (const Partition& p : parts)
    if (p.owner == w) n += stateEntries(p);
  return n;
}

}  // namespace sl
