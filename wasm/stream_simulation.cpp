#include "stream_simulation.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <unordered_map>

#include "distribution.h"
#include "event_queue.h"
#include "histogram.h"
#include "random.h"
#include "stream_source.h"

namespace sl {

namespace {

enum class StreamEvent : uint8_t {
  Arrival,     ///< the source appends its next event
  Done,        ///< a worker finished an event (a = worker, b = worker generation)
  Timeline,    ///< scenario action (a = index into the timeline)
  Failover,    ///< survivors take over a crashed worker's partition (a = partition, b = orphan generation)
  Checkpoint,  ///< snapshot state and input positions
  Tick,        ///< a window boundary: caught-up partitions close their windows
  Wake,        ///< a checkpoint pause ends (a = worker, b = wake token)
  Series,      ///< close one point of the series
};

constexpr uint64_t kProcessStream = 0x70726f63657373ULL;
constexpr uint64_t kStateKeyMask = (uint64_t{1} << 60) - 1;

// State maps are ordered by window, then key, so closing windows pops from the front.
uint64_t stateKey(uint32_t window, uint32_t key) { return (static_cast<uint64_t>(window) << 32) | key; }
uint64_t windowId(int op, uint64_t state_key) { return (static_cast<uint64_t>(op) << 60) | state_key; }
StreamWindowId decodeWindow(uint64_t id) {
  return {static_cast<int>(id >> 60), static_cast<uint32_t>(id & 0xffffffffu),
          static_cast<uint32_t>((id & kStateKeyMask) >> 32)};
}

int64_t toUs(double s) { return static_cast<int64_t>(std::llround(s * 1e6)); }
double toS(int64_t us) { return static_cast<double>(us) / 1e6; }
double round3(double x) { return std::floor(x * 1000.0 + 0.5) / 1000.0; }
double round6(double x) { return std::floor(x * 1e6 + 0.5) / 1e6; }

std::string hex64(uint64_t x) {
  // By hand rather than with printf, which would add its whole formatter to the module.
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, x >>= 4) out[static_cast<size_t>(i)] = "0123456789abcdef"[x & 15];
  return out;
}

}  // namespace

/// One run of the model. Copyable on purpose: the crash-free reference is a copy of the run
/// taken just before its first crash.
struct StreamSimulation::Engine {
  struct Emission {
    uint64_t id;
    int64_t value;
  };
  // Output not yet visible downstream (exactly_once: until the next checkpoint commits it).
  // In at_least_once only `windows` is used: the windows emitted since the last checkpoint.
  struct Uncommitted {
    std::vector<Emission> windows;
    uint64_t out = 0;
    int64_t value_sum = 0;
    uint64_t digest = 0;
    std::vector<uint64_t> routes;
    void clear() {
      windows.clear();
      out = 0;
      value_sum = 0;
      digest = 0;
      std::fill(routes.begin(), routes.end(), 0);
    }
  };
  struct Partition {
    std::vector<StreamRecord> log;  // retained part of the log; log[0] is offset `base`
    uint64_t base = 0;
    uint64_t next = 0;        // next offset to process
    uint64_t high = 0;        // one past the highest offset ever processed
    uint64_t ckpt = 0;        // input position in the last checkpoint
    int owner = -1;
    int home = 0;
    bool in_service = false;
    bool stranded = false;    // failover found no live worker
    uint32_t orphan_gen = 0;
    std::vector<std::map<uint64_t, int64_t>> state;     // per stateful operator
    std::vector<std::map<uint64_t, int64_t>> snapshot;  // exactly_once: state at ckpt
    Uncommitted pending;
    std::vector<std::pair<size_t, uint64_t>> recovery;  // (crash index, offset to reach)
    uint64_t end() const { return base + log.size(); }
  };
  struct Worker {
    bool alive = true;
    uint32_t gen = 0;
    bool busy = false;
    int part = -1;
    uint64_t offset = 0;
    int64_t start_us = 0;
    bool paused = false;
    int64_t paused_until = 0;
    int64_t pending_pause = 0;
    uint32_t wake = 0;
    int owned = 0;
    uint64_t processed = 0;
    int64_t busy_us = 0;
    int64_t alive_since = 0;
    int64_t alive_us = 0;
  };
  struct Crash {
    int64_t t_us;
    int worker;
    int remaining;
    int64_t recovered_us;
  };
  struct WindowResult {
    int64_t value;
    uint32_t emissions;
  };
  struct SeriesPoint {
    double t_s;
    uint64_t in, processed, out, windows;
    uint64_t backlog;
    double lag_p99_ms;
    int alive;
  };

  explicit Engine(const StreamScenario& s)
      : sc(s),
        end_us(toUs(s.duration_s)),
        source(s.source, s.seed, toUs(s.duration_s)),
        rng(mix64(s.seed ^ kProcessStream)),
        event_dist(s.processing.event) {
    failover_us = toUs(s.processing.failover_s);
    series_us = std::max<int64_t>(1, toUs(s.series_interval_s));
    checkpoint_us = s.checkpoint.mode == CheckpointMode::None ? 0 : std::max<int64_t>(1, toUs(s.checkpoint.interval_s));
    window_us.assign(s.pipeline.size(), 0);
    slot_of.assign(s.pipeline.size(), -1);
    int routes = 1;
    for (size_t i = 0; i < s.pipeline.size(); ++i) {
      const StreamOperatorDef& op = s.pipeline[i];
      if (op.stateful()) {
        window_us[i] = std::max<int64_t>(1, toUs(op.window_s));
        slot_of[i] = static_cast<int>(stateful.size());
        stateful.push_back(static_cast<int>(i));
      }
      if (op.kind == StreamOpKind::Route) routes = std::max(routes, op.outputs);
    }
    route_totals.assign(static_cast<size_t>(routes), 0);
    workers.assign(static_cast<size_t>(s.workers), Worker{});
    parts.resize(static_cast<size_t>(s.partitions));
    for (int p = 0; p < s.partitions; ++p) {
      Partition& part = parts[static_cast<size_t>(p)];
      part.home = p % s.workers;
      part.owner = part.home;
      part.state.resize(stateful.size());
      part.snapshot.resize(stateful.size());
      part.pending.routes.assign(static_cast<size_t>(routes), 0);
      ++workers[static_cast<size_t>(part.home)].owned;
    }
    for (size_t i = 0; i < s.timeline.size(); ++i)
      events.push(s.timeline[i].at_us, StreamEvent::Timeline, static_cast<uint32_t>(i));
    if (checkpoint_us > 0 && checkpoint_us <= end_us) events.push(checkpoint_us, StreamEvent::Checkpoint);
    scheduleTick();
    events.push(std::min(series_us, end_us), StreamEvent::Series);
    has_next = source.next(next_rec);
    if (has_next) events.push(next_rec.t_us, StreamEvent::Arrival);
  }

  // ---- configuration
  StreamScenario sc;
  int64_t end_us;
  int64_t failover_us = 0, series_us = 1000000, checkpoint_us = 0;
  std::vector<int64_t> window_us;  // per pipeline index, 0 for stateless operators
  std::vector<int> slot_of;        // pipeline index -> stateful slot, -1 for stateless
  std::vector<int> stateful;       // stateful slot -> pipeline index
  bool reference = false;          // ignores the timeline: the crash-free run
  bool hold_before_crash = true;   // stop before the first crash so a reference can be forked
  bool held = false;
  bool finalized = false;
  StreamTrace* trace = nullptr;

  // ---- dynamic state
  StreamSource source;
  StreamRecord next_rec;
  bool has_next = false;
  Random rng;
  Distribution event_dist;
  BasicEventQueue<StreamEvent> events;
  int64_t now = 0;
  std::vector<Partition> parts;
  std::vector<Worker> workers;
  std::vector<Crash> crashes;

  // ---- sink: what downstream consumers saw
  std::unordered_map<uint64_t, WindowResult> sink;  // latest result per window (order-free use only)
  std::set<uint64_t> lost;                          // windows whose open state a crash destroyed
  uint64_t windows_emitted = 0, window_repeats = 0;
  uint64_t out_count = 0;
  int64_t out_value_sum = 0;
  uint64_t out_digest = 0;
  std::vector<uint64_t> route_totals;

  // ---- metrics
  uint64_t in_count = 0, processed = 0, filtered = 0, replayed = 0;
  uint64_t backlog = 0, backlog_max = 0;
  uint64_t checkpoints = 0, checkpoint_entries = 0;
  int64_t pause_us_total = 0;
  Histogram lag{7};
  Histogram interval_lag{5};
  SeriesPoint interval{};
  std::vector<SeriesPoint> series;

  void emitTrace(StreamTraceKind k, int32_t w, int32_t p, int32_t key, uint32_t seq, double v, int32_t det,
                 uint8_t fl, int64_t t0, int64_t t1) {
    if (trace) trace->add(k, w, p, key, seq, v, det, fl, toS(t0), toS(t1));
  }

  // ---- running
  void runUntil(int64_t t_us) {
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

  void process(const BasicEvent<StreamEvent>& e) {
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
  void finalize() {
    finalized = true;
    if (sc.checkpoint.mode == CheckpointMode::ExactlyOnce)
      for (Partition& p : parts) commit(p);
  }

  void onArrival() {
    const StreamRecord r = next_rec;
    const int pi = streamPartitionOf(r.key, sc.partitions);
    Partition& p = parts[static_cast<size_t>(pi)];
    p.log.push_back(r);
    ++in_count;
    ++interval.in;
    addBacklog(1);
    emitTrace(StreamTraceKind::Arrive, -1, pi, static_cast<int32_t>(r.key), r.seq, static_cast<double>(r.value), -1,
              0, now, now);
    if (p.owner >= 0) startNext(p.owner);
    has_next = source.next(next_rec);
    if (has_next) events.push(next_rec.t_us, StreamEvent::Arrival);
  }

  void addBacklog(int64_t delta) {
    backlog = static_cast<uint64_t>(static_cast<int64_t>(backlog) + delta);
    backlog_max = std::max(backlog_max, backlog);
  }

  // Each worker takes the oldest pending event among its partitions, so it serves them fairly.
  void startNext(int w) {
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

  void onDone(int w, uint32_t gen) {
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

  void processEvent(int pi, const StreamRecord& r, bool replay, int w, int64_t start) {
    Partition& p = parts[static_cast<size_t>(pi)];
    // The log is in event-time order, so this event proves earlier windows complete.
    closeWindows(pi, r.t_us, w, replay);
    int64_t v = r.value;
    int route = -1;
    bool dropped = false;
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
          p.state[static_cast<size_t>(slot_of[i])][stateKey(win, r.key)] +=
              op.kind == StreamOpKind::WindowCount ? 1 : v;
          break;
        }
      }
    }
    if (dropped) {
      ++filtered;
    } else {
      ++interval.out;
      output(p, r.seq, v, route);
    }
    emitTrace(StreamTraceKind::Process, w, pi, static_cast<int32_t>(r.key), r.seq, static_cast<double>(v), route,
              static_cast<uint8_t>((dropped ? kStreamFiltered : 0) | (replay ? kStreamReplayed : 0)), start, now);
  }

  void output(Partition& p, uint32_t seq, int64_t v, int route) {
    // Order-free digest of (event, value, output): equal digests mean the same output set,
    // and a duplicated event changes it.
    const uint64_t term = mix64(mix64(seq) + static_cast<uint64_t>(v) * 0x9e3779b97f4a7c15ULL +
                                static_cast<uint64_t>(route + 1));
    const size_t r = static_cast<size_t>(route < 0 ? 0 : route);
    if (sc.checkpoint.mode == CheckpointMode::ExactlyOnce) {
      ++p.pending.out;
      p.pending.value_sum += v;
      p.pending.digest += term;
      ++p.pending.routes[r];
    } else {
      ++out_count;
      out_value_sum += v;
      out_digest += term;
      ++route_totals[r];
    }
  }

  void closeWindows(int pi, int64_t watermark, int w, bool replay) {
    Partition& p = parts[static_cast<size_t>(pi)];
    for (size_t s = 0; s < stateful.size(); ++s) {
      const int op = stateful[s];
      const int64_t width = window_us[static_cast<size_t>(op)];
      std::map<uint64_t, int64_t>& st = p.state[s];
      while (!st.empty()) {
        auto it = st.begin();
        const int64_t win = static_cast<int64_t>(it->first >> 32);
        if ((win + 1) * width > watermark) break;
        emitWindow(p, pi, op, it->first, it->second, w, replay);
        st.erase(it);
      }
    }
  }

  void emitWindow(Partition& p, int pi, int op, uint64_t sk, int64_t value, int w, bool replay) {
    const uint64_t id = windowId(op, sk);
    ++interval.windows;
    if (trace) {
      uint8_t fl = replay ? kStreamReplayed : 0;
      if (lost.count(id)) fl |= kStreamLostState;
      if (sink.count(id)) fl |= kStreamRepeat;
      emitTrace(StreamTraceKind::Window, w, pi, static_cast<int32_t>(sk & 0xffffffffu),
                static_cast<uint32_t>(sk >> 32), static_cast<double>(value), op, fl, now, now);
    }
    if (sc.checkpoint.mode == CheckpointMode::ExactlyOnce) {
      p.pending.windows.push_back({id, value});
      return;
    }
    applyWindow(id, value);
    if (sc.checkpoint.mode == CheckpointMode::AtLeastOnce) p.pending.windows.push_back({id, value});
  }

  // Downstream keeps the latest result per window (an upsert), as a table of results would.
  void applyWindow(uint64_t id, int64_t value) {
    ++windows_emitted;
    auto res = sink.emplace(id, WindowResult{value, 1});
    if (!res.second) {
      res.first->second.value = value;
      ++res.first->second.emissions;
      ++window_repeats;
    }
  }

  void commit(Partition& p) {
    for (const Emission& e : p.pending.windows) applyWindow(e.id, e.value);
    out_count += p.pending.out;
    out_value_sum += p.pending.value_sum;
    out_digest += p.pending.digest;
    for (size_t i = 0; i < route_totals.size(); ++i) route_totals[i] += p.pending.routes[i];
    p.pending.clear();
  }

  int64_t stateEntries(const Partition& p) const {
    int64_t n = 0;
    for (const auto& st : p.state) n += static_cast<int64_t>(st.size());
    return n;
  }

  void onCheckpoint() {
    std::vector<int64_t> entries(workers.size(), 0);
    int64_t total = 0;
    for (Partition& p : parts) {
      if (p.owner < 0) continue;  // waiting for failover: keeps its previous checkpoint
      p.ckpt = p.next;
      if (sc.checkpoint.mode == CheckpointMode::ExactlyOnce) {
        p.snapshot = p.state;
        commit(p);
      } else {
        p.pending.windows.clear();
      }
      const int64_t n = stateEntries(p);
      entries[static_cast<size_t>(p.owner)] += n;
      total += n;
      trim(p);
    }
    for (size_t w = 0; w < workers.size(); ++w) {
      if (!workers[w].alive) continue;
      const int64_t pause = static_cast<int64_t>(std::llround(
          sc.checkpoint.pause_ms * 1000.0 + sc.checkpoint.entry_us * static_cast<double>(entries[w])));
      if (pause <= 0) continue;
      pause_us_total += pause;
      if (workers[w].busy) workers[w].pending_pause += pause;
      else pauseWorker(static_cast<int>(w), pause);
    }
    ++checkpoints;
    checkpoint_entries += static_cast<uint64_t>(total);
    emitTrace(StreamTraceKind::Checkpoint, -1, -1, -1, static_cast<uint32_t>(checkpoints), static_cast<double>(total),
              static_cast<int32_t>(checkpoints), 0, now, now);
    const int64_t next = now + checkpoint_us;
    if (next <= end_us) events.push(next, StreamEvent::Checkpoint);
  }

  void pauseWorker(int w, int64_t us) {
    Worker& k = workers[static_cast<size_t>(w)];
    k.paused_until = (k.paused ? k.paused_until : now) + us;
    k.paused = true;
    events.push(k.paused_until, StreamEvent::Wake, static_cast<uint32_t>(w), ++k.wake);
  }

  void onWake(int w, uint32_t token) {
    Worker& k = workers[static_cast<size_t>(w)];
    if (!k.alive || !k.paused || k.wake != token) return;
    k.paused = false;
    startNext(w);
  }

  void scheduleTick() {
    int64_t next = -1;
    for (int op : stateful) {
      const int64_t width = window_us[static_cast<size_t>(op)];
      const int64_t b = (now / width + 1) * width;
      if (next < 0 || b < next) next = b;
    }
    if (next > 0 && next <= end_us) events.push(next, StreamEvent::Tick);
  }

  void onTick() {
    for (size_t i = 0; i < parts.size(); ++i) {
      const Partition& p = parts[i];
      if (p.owner < 0) continue;
      const int64_t wm = p.next < p.end() ? p.log[static_cast<size_t>(p.next - p.base)].t_us : now;
      closeWindows(static_cast<int>(i), wm, p.owner, false);
    }
    scheduleTick();
  }

  void onSeries() {
    interval.t_s = toS(now);
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

  // The log is kept from the oldest position a recovery might rewind to.
  void trim(Partition& p) {
    const uint64_t keep = sc.checkpoint.mode == CheckpointMode::None ? p.next : std::min(p.next, p.ckpt);
    const uint64_t dead = keep - p.base;
    if (dead < 1024 || dead * 2 < p.log.size()) return;
    p.log.erase(p.log.begin(), p.log.begin() + static_cast<std::ptrdiff_t>(dead));
    p.base = keep;
  }

  // ---- crashes and recovery
  void doAction(const StreamAction& a) {
    if (a.kind == StreamActionKind::KillWorker) killWorker(a.worker);
    else restartWorker(a.worker);
  }

  void killWorker(int w) {
    Worker& k = workers[static_cast<size_t>(w)];
    if (!k.alive) return;
    k.alive_us += now - k.alive_since;
    k.alive = false;
    ++k.gen;  // voids its pending Done and Wake events
    ++k.wake;
    k.paused = false;
    k.pending_pause = 0;
    int handed_to = -1;
    if (k.busy) {
      Partition& p = parts[static_cast<size_t>(k.part)];
      p.in_service = false;
      if (p.owner >= 0 && p.owner != w) handed_to = p.owner;
      k.busy = false;
    }
    crashes.push_back({now, w, 0, -1});
    const size_t ci = crashes.size() - 1;
    int owned = 0;
    int64_t lost_here = 0;
    for (size_t i = 0; i < parts.size(); ++i) {
      Partition& p = parts[i];
      if (p.owner != w) continue;
      p.owner = -1;
      ++owned;
      switch (sc.checkpoint.mode) {
        case CheckpointMode::None:
          for (size_t s = 0; s < stateful.size(); ++s) {
            for (const auto& kv : p.state[s]) lost.insert(windowId(stateful[s], kv.first));
            lost_here += static_cast<int64_t>(p.state[s].size());
            p.state[s].clear();
          }
          break;
        case CheckpointMode::ExactlyOnce:
          p.pending.clear();  // uncommitted output is aborted; the replay produces it again
          break;
        case CheckpointMode::AtLeastOnce:
          break;  // state survives in its changelog; only the input position is behind
      }
      p.recovery.push_back({ci, p.end()});
      ++crashes[ci].remaining;
      events.push(now + failover_us, StreamEvent::Failover, static_cast<uint32_t>(i), ++p.orphan_gen);
    }
    k.owned = 0;
    if (crashes[ci].remaining == 0) crashes[ci].recovered_us = now;
    emitTrace(StreamTraceKind::Crash, w, -1, -1, 0, owned, static_cast<int32_t>(lost_here), 0, now, now);
    if (handed_to >= 0) startNext(handed_to);
  }

  int leastLoadedAlive() const {
    int best = -1;
    for (size_t w = 0; w < workers.size(); ++w) {
      if (!workers[w].alive) continue;
      if (best < 0 || workers[w].owned < workers[static_cast<size_t>(best)].owned) best = static_cast<int>(w);
    }
    return best;
  }

  void onFailover(int pi, uint32_t gen) {
    Partition& p = parts[static_cast<size_t>(pi)];
    if (p.owner >= 0 || p.orphan_gen != gen) return;
    const int home = p.home;
    const int to = workers[static_cast<size_t>(home)].alive ? home : leastLoadedAlive();
    if (to < 0) {
      p.stranded = true;  // nobody is up: the first worker to restart takes it
      return;
    }
    takeover(pi, to);
  }

  // A worker takes over a partition whose owner crashed: restore what the mode keeps, rewind.
  void takeover(int pi, int w) {
    Partition& p = parts[static_cast<size_t>(pi)];
    p.owner = w;
    p.stranded = false;
    ++workers[static_cast<size_t>(w)].owned;
    uint64_t rewind_to = p.next;
    if (sc.checkpoint.mode == CheckpointMode::ExactlyOnce) {
      p.state = p.snapshot;
      rewind_to = p.ckpt;
    } else if (sc.checkpoint.mode == CheckpointMode::AtLeastOnce) {
      // Windows closed since the checkpoint are still in the store and take the replay again.
      // Newest emission first; a window the replay had already reopened keeps its open state.
      for (auto it = p.pending.windows.rbegin(); it != p.pending.windows.rend(); ++it)
        p.state[static_cast<size_t>(slot_of[static_cast<size_t>(it->id >> 60)])].emplace(it->id & kStateKeyMask,
                                                                                          it->value);
      p.pending.windows.clear();
      rewind_to = p.ckpt;
    }
    addBacklog(static_cast<int64_t>(p.next - rewind_to));
    p.next = rewind_to;
    emitTrace(StreamTraceKind::Assign, w, pi, -1, 0, static_cast<double>(p.next), 0, 0, now, now);
    if (p.high > p.next)
      emitTrace(StreamTraceKind::Replay, w, pi, -1, 0, static_cast<double>(p.next),
                static_cast<int32_t>(p.high - p.next), 0, now, now);
    checkRecovery(pi);
    startNext(w);
  }

  void restartWorker(int w) {
    Worker& k = workers[static_cast<size_t>(w)];
    if (k.alive) return;
    k.alive = true;
    k.alive_since = now;
    k.busy = false;
    k.paused = false;
    emitTrace(StreamTraceKind::Restart, w, -1, -1, 0, 0, 0, 0, now, now);
    for (size_t i = 0; i < parts.size(); ++i) {
      Partition& p = parts[i];
      if (p.home == w && p.owner >= 0) {
        // Handed back by a live worker: its state moves intact, nothing is replayed.
        --workers[static_cast<size_t>(p.owner)].owned;
        p.owner = w;
        ++k.owned;
        emitTrace(StreamTraceKind::Assign, w, static_cast<int>(i), -1, 0, static_cast<double>(p.next), 1, 0, now, now);
      } else if (p.owner < 0 && (p.home == w || p.stranded)) {
        ++p.orphan_gen;  // its pending failover is moot
        takeover(static_cast<int>(i), w);
      }
    }
    startNext(w);
  }

  void checkRecovery(int pi) {
    Partition& p = parts[static_cast<size_t>(pi)];
    if (p.owner < 0) return;
    for (size_t i = 0; i < p.recovery.size();) {
      if (p.next >= p.recovery[i].second) {
        Crash& c = crashes[p.recovery[i].first];
        if (--c.remaining == 0) c.recovered_us = now;
        p.recovery.erase(p.recovery.begin() + static_cast<std::ptrdiff_t>(i));
      } else {
        ++i;
      }
    }
  }

  // ---- views
  int64_t workerEntries(int w) const {
    int64_t n = 0;
    for (const Partition& p : parts)
      if (p.owner == w) n += stateEntries(p);
    return n;
  }
  int64_t aliveUs(const Worker& k) const { return k.alive_us + (k.alive ? now - k.alive_since : 0); }
};

// ---------------------------------------------------------------------------------------------

StreamSimulation::StreamSimulation(const StreamScenario& scenario)
    : scenario_(scenario), main_(new Engine(scenario)) {}

StreamSimulation::~StreamSimulation() = default;

void StreamSimulation::setTrace(bool on, size_t limit) {
  trace_on_ = on;
  trace_.limit = limit;
  trace_.clear();
  main_->trace = on ? &trace_ : nullptr;
}

int64_t StreamSimulation::nowUs() const { return main_->now; }
int64_t StreamSimulation::endUs() const { return main_->end_us; }

void StreamSimulation::forkReference() {
  reference_.reset(new Engine(*main_));
  reference_->reference = true;
  reference_->trace = nullptr;
  main_->hold_before_crash = false;
}

void StreamSimulation::advance(int64_t t_us) {
  for (;;) {
    main_->runUntil(t_us);
    if (!main_->held) break;
    forkReference();
  }
  if (reference_) reference_->runUntil(t_us);
}

void StreamSimulation::runUntil(int64_t t_us) {
  trace_.clear();
  advance(t_us);
}

void StreamSimulation::step(double dt_s) {
  if (!(dt_s > 0)) {
    trace_.clear();
    return;
  }
  const double dt_us = std::min(dt_s * 1e6, 9.0e15);
  runUntil(nowUs() + static_cast<int64_t>(std::llround(dt_us)));
}

InputError StreamSimulation::apply(const StreamAction& action) {
  if (action.worker < 0 || action.worker >= scenario_.workers) {
    return {"$.worker", "no such worker (workers are numbered 0.." + std::to_string(scenario_.workers - 1) + ")",
            std::to_string(action.worker)};
  }
  const bool alive = main_->workers[static_cast<size_t>(action.worker)].alive;
  if (action.kind == StreamActionKind::KillWorker && !alive)
    return {"$.worker", "worker " + std::to_string(action.worker) + " is already down", std::to_string(action.worker)};
  if (action.kind == StreamActionKind::RestartWorker && alive)
    return {"$.worker", "worker " + std::to_string(action.worker) + " is already running",
            std::to_string(action.worker)};
  if (finished()) return {"$", "the run has ended", ""};
  if (action.kind == StreamActionKind::KillWorker && main_->hold_before_crash) forkReference();
  StreamAction a = action;
  a.at_us = nowUs();
  main_->doAction(a);
  live_actions_.push_back(a);
  return {};
}

InputError StreamSimulation::applyJson(const std::string& json) {
  nlohmann::json doc;
  InputError err;
  if (!parseJsonText(json, doc, err)) return err;
  if (doc.is_object() && !doc.contains("at_s")) doc["at_s"] = 0;
  JsonReader r(&doc, "$", &err);
  const StreamAction a = streamActionFromJson(r, scenario_.duration_s, scenario_.workers);
  if (!err.empty()) return err;
  return apply(a);
}

void StreamSimulation::seek(int64_t t_us) {
  std::vector<StreamAction> keep;
  for (const StreamAction& a : live_actions_)
    if (a.at_us < t_us) keep.push_back(a);
  main_.reset(new Engine(scenario_));
  reference_.reset();
  live_actions_.clear();
  for (const StreamAction& a : keep) {
    advance(a.at_us);
    apply(a);
  }
  advance(t_us);
  setTrace(trace_on_, trace_.limit);
}

int StreamSimulation::workerCount() const { return static_cast<int>(main_->workers.size()); }
int StreamSimulation::partitionCount() const { return static_cast<int>(main_->parts.size()); }

StreamWorkerView StreamSimulation::worker(int id) const {
  StreamWorkerView v;
  if (id < 0 || id >= workerCount()) return v;
  const Engine::Worker& k = main_->workers[static_cast<size_t>(id)];
  v.id = id;
  v.alive = k.alive;
  v.busy = k.busy;
  v.paused = k.paused;
  v.partitions = k.owned;
  v.state_entries = main_->workerEntries(id);
  v.processed = k.processed;
  return v;
}

StreamPartitionView StreamSimulation::partition(int id) const {
  StreamPartitionView v;
  if (id < 0 || id >= partitionCount()) return v;
  const Engine::Partition& p = main_->parts[static_cast<size_t>(id)];
  v.id = id;
  v.owner = p.owner;
  v.home = p.home;
  v.log_end = p.end();
  v.position = p.next;
  v.checkpoint = p.ckpt;
  v.backlog = p.end() - p.next;
  v.state_entries = main_->stateEntries(p);
  return v;
}

std::vector<StreamWindowId> StreamSimulation::lostWindows() const {
  std::vector<StreamWindowId> out;
  for (uint64_t id : main_->lost) out.push_back(decodeWindow(id));
  std::sort(out.begin(), out.end());
  return out;
}

nlohmann::json StreamSimulation::results() const {
  const Engine& m = *main_;
  const Engine& ref = reference_ ? *reference_ : m;
  using nlohmann::json;

  // Every window of the crash-free run is exactly one of: lost (its state was destroyed),
  // correct, wrong, or missing (not emitted yet, e.g. still replaying at the end).
  uint64_t correct = 0, wrong = 0, missing = 0, extra = 0;
  int64_t value_total = 0, ref_value_total = 0;
  for (const auto& kv : ref.sink) {
    ref_value_total += kv.second.value;
    if (m.lost.count(kv.first)) continue;
    auto it = m.sink.find(kv.first);
    if (it == m.sink.end()) ++missing;
    else if (it->second.value == kv.second.value) ++correct;
    else ++wrong;
  }
  for (const auto& kv : m.sink) {
    value_total += kv.second.value;
    if (!ref.sink.count(kv.first) && !m.lost.count(kv.first)) ++extra;
  }
  int64_t open = 0;
  uint64_t pending = 0;
  for (const Engine::Partition& p : m.parts) {
    open += m.stateEntries(p);
    if (m.sc.checkpoint.mode == CheckpointMode::ExactlyOnce) pending += p.pending.windows.size();
  }

  json recovery_times = json::array();
  int recovered = 0;
  double rec_sum = 0, rec_max = 0;
  for (const Engine::Crash& c : m.crashes) {
    if (c.recovered_us < 0) {
      recovery_times.push_back(nullptr);
      continue;
    }
    const double s = round3(toS(c.recovered_us - c.t_us));
    recovery_times.push_back(s);
    ++recovered;
    rec_sum += s;
    rec_max = std::max(rec_max, s);
  }

  json workers = json::array();
  int64_t alive_total = 0;
  for (size_t w = 0; w < m.workers.size(); ++w) {
    const Engine::Worker& k = m.workers[w];
    const int64_t alive_us = m.aliveUs(k);
    alive_total += alive_us;
    workers.push_back({{"id", static_cast<int>(w)},
                       {"alive", k.alive},
                       {"partitions", k.owned},
                       {"processed", k.processed},
                       {"state_entries", m.workerEntries(static_cast<int>(w))},
                       {"utilization", alive_us > 0 ? round3(static_cast<double>(k.busy_us) / alive_us) : 0.0}});
  }

  json series = {{"interval_s", m.sc.series_interval_s}};
  json t_s = json::array(), in = json::array(), proc = json::array(), out = json::array(),
       back = json::array(), lagp = json::array(), wins = json::array(), alive = json::array();
  for (const Engine::SeriesPoint& p : m.series) {
    t_s.push_back(p.t_s);
    in.push_back(p.in);
    proc.push_back(p.processed);
    out.push_back(p.out);
    back.push_back(p.backlog);
    lagp.push_back(p.lag_p99_ms);
    wins.push_back(p.windows);
    alive.push_back(p.alive);
  }
  series["t_s"] = t_s;
  series["in"] = in;
  series["processed"] = proc;
  series["out"] = out;
  series["backlog"] = back;
  series["lag_p99_ms"] = lagp;
  series["windows"] = wins;
  series["workers_alive"] = alive;

  json j;
  j["kind"] = "stream";
  if (!m.sc.name.empty()) j["name"] = m.sc.name;
  j["seed"] = m.sc.seed;
  j["duration_s"] = m.sc.duration_s;
  j["t_s"] = toS(m.now);
  j["events"] = {{"in", m.in_count},         {"processed", m.processed}, {"out", m.out_count},
                 {"filtered", m.filtered},   {"replayed", m.replayed},   {"backlog", m.backlog}};
  j["outputs"] = m.route_totals;
  j["output"] = {{"count", m.out_count}, {"value_sum", m.out_value_sum}, {"digest", hex64(m.out_digest)}};
  j["windows"] = {{"emitted", m.windows_emitted},
                  {"repeats", m.window_repeats},
                  {"correct", correct},
                  {"wrong", wrong},
                  {"lost", m.lost.size()},
                  {"missing", missing},
                  {"extra", extra},
                  {"open", open},
                  {"pending", pending},
                  {"value_total", value_total},
                  {"reference", ref.sink.size()},
                  {"reference_value_total", ref_value_total}};
  j["lag_ms"] = {{"mean", round3(m.lag.mean() / 1000.0)},
                 {"p50", round3(m.lag.quantile(0.5) / 1000.0)},
                 {"p90", round3(m.lag.quantile(0.9) / 1000.0)},
                 {"p99", round3(m.lag.quantile(0.99) / 1000.0)},
                 {"max", round3(static_cast<double>(m.lag.max()) / 1000.0)},
                 {"count", m.lag.count()}};
  j["backlog_max"] = m.backlog_max;
  j["recovery"] = {{"crashes", m.crashes.size()},
                   {"recovered", recovered},
                   {"mean_s", recovered ? round3(rec_sum / recovered) : 0.0},
                   {"max_s", round3(rec_max)},
                   {"times_s", recovery_times}};
  j["checkpoints"] = {{"mode", checkpointModeName(m.sc.checkpoint.mode)},
                      {"interval_s", m.sc.checkpoint.mode == CheckpointMode::None ? 0.0 : m.sc.checkpoint.interval_s},
                      {"taken", m.checkpoints},
                      {"state_entries", m.checkpoint_entries},
                      {"pause_s", round3(toS(m.pause_us_total))},
                      {"overhead", alive_total > 0 ? round6(static_cast<double>(m.pause_us_total) / alive_total) : 0.0}};
  j["workers"] = workers;
  j["series"] = series;
  return j;
}

bool isStreamScenario(const nlohmann::json& doc) {
  if (!doc.is_object()) return false;
  auto it = doc.find("kind");
  return it != doc.end() && it->is_string() && it->get_ref<const std::string&>() == "stream";
}

nlohmann::json runStreamScenario(const nlohmann::json& doc, uint64_t* seed_override, InputError& err) {
  StreamScenario s = streamScenarioFromJson(doc, err);
  if (!err.empty()) return nullptr;
  if (seed_override) s.seed = *seed_override;
  StreamSimulation sim(s);
  sim.run();
  return sim.results();
}

}  // namespace sl
