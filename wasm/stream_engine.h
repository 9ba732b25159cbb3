#pragma once
#include <cmath>
#include <cstdint>
#include <set>
#include <vector>

#include "distribution.h"
#include "event_queue.h"
#include "histogram.h"
#include "random.h"
#include "rarely_run.h"
#include "stream_scenario.h"
#include "stream_sink.h"
#include "stream_source.h"
#include "stream_state.h"
#include "stream_trace.h"

namespace sl {

enum class StreamEvent : uint8_t {
  Arrival,     ///< the source appends its next event
  Done,        ///< a worker finished an event (a = worker, b = worker generation)
  Timeline,    ///< scenario action (a = index into the timeline)
  Failover,    ///< survivors take over a crashed worker's partition (a = partition, b = orphan generation)
  Checkpoint,  ///< commit input positions (and, by mode, state and output)
  Tick,        ///< a window boundary: caught-up partitions close their windows
  Wake,        ///< a checkpoint pause ends (a = worker, b = wake token)
  Series,      ///< close one point of the series
};

/// A window result id: operator (pipeline index) in the top 4 bits, then the state key.
inline uint64_t streamWindowId(int op, uint64_t state_key) { return (static_cast<uint64_t>(op) << 60) | state_key; }
constexpr uint64_t kStreamStateKeyMask = (uint64_t{1} << 60) - 1;

inline int64_t streamUs(double s) { return static_cast<int64_t>(std::llround(s * 1e6)); }
inline double streamS(int64_t us) { return static_cast<double>(us) / 1e6; }

/// One run of the stream model. Copyable on purpose: the crash-free reference is a copy of
/// the run taken just before its first crash. Members are public: StreamSimulation and the
/// results builder read them; only the engine's own functions change them.
struct StreamEngine {
  struct WindowEmission {
    uint64_t id;
    int64_t value;
  };
  /// Output since the last commit. exactly_once: held back until the commit makes it visible
  /// (a crash discards it). Other modes: only `windows`, the window results emitted since the
  /// commit, which at_least_once reopens after a crash.
  struct Uncommitted {
    std::vector<StreamEmission> out;
    std::vector<WindowEmission> windows;
  };
  struct Partition {
    std::vector<StreamRecord> log;  ///< retained part of the log; log[0] is offset `base`
    uint64_t base = 0;
    uint64_t next = 0;        ///< next offset to process
    uint64_t high = 0;        ///< one past the highest offset ever processed
    uint64_t ckpt = 0;        ///< committed input position: a crash resumes here
    int owner = -1;
    int home = 0;
    bool in_service = false;
    bool stranded = false;    ///< failover found no live worker
    uint32_t orphan_gen = 0;
    std::vector<StreamStateStore> state;  ///< per stateful operator
    Uncommitted pending;
    std::vector<std::pair<size_t, uint64_t>> recovery;  ///< (crash index, offset to reach)
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
  struct SeriesPoint {
    double t_s;
    uint64_t in, processed, out, windows, duplicates;
    uint64_t backlog;
    double lag_p99_ms;
    int alive;
  };

  explicit StreamEngine(const StreamScenario& s);

  // ---- configuration
  StreamScenario sc;
  int64_t end_us;
  int64_t failover_us = 0, series_us = 1000000, checkpoint_us = 0;
  std::vector<int64_t> window_us;  ///< per pipeline index, 0 for stateless operators
  std::vector<int> slot_of;        ///< pipeline index -> stateful slot, -1 for stateless
  std::vector<int> stateful;       ///< stateful slot -> pipeline index
  bool reference = false;          ///< ignores the timeline: the crash-free run
  bool hold_before_crash = true;   ///< stop before the first crash so a reference can be forked
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

  // ---- downstream
  StreamSink sink;
  std::set<uint64_t> lost;  ///< windows whose open state a crash destroyed

  // ---- metrics
  uint64_t in_count = 0, processed = 0, filtered = 0, replayed = 0;
  uint64_t backlog = 0, backlog_max = 0;
  uint64_t checkpoints = 0, checkpoint_entries = 0;
  uint64_t state_written = 0;   ///< state entries written by checkpoints (incremental)
  uint64_t state_restored = 0;  ///< state entries restored by rollbacks
  int64_t pause_us_total = 0;
  Histogram lag{7};
  Histogram interval_lag{5};
  SeriesPoint interval{};
  std::vector<SeriesPoint> series;

  // ---- running (stream_engine.cpp)
  void runUntil(int64_t t_us);
  void process(const BasicEvent<StreamEvent>& e);
  void finalize();
  void onArrival();
  void addBacklog(int64_t delta);
  void startNext(int w);
  void onDone(int w, uint32_t gen);
  void processEvent(int pi, const StreamRecord& r, bool replay, int w, int64_t start);
  int64_t applyOperators(Partition& p, const StreamRecord& r, int& route, bool& dropped);
  uint8_t output(Partition& p, const StreamEmission& e);
  void closeWindows(int pi, int64_t watermark, int w, bool replay);
  void emitWindow(Partition& p, int pi, int op, uint64_t sk, int64_t value, int w, bool replay);
  void scheduleTick();
  void onTick();
  void onSeries();
  void trim(Partition& p);
  void emitTrace(StreamTraceKind k, int32_t w, int32_t p, int32_t key, uint32_t seq, double v, int32_t det,
                 uint8_t fl, int64_t t0, int64_t t1);

  // ---- commits, crashes and recovery (stream_recovery.cpp)
  void onCheckpoint();
  int64_t commitPartition(Partition& p);
  void commitOutput(Partition& p);
  void pauseWorker(int w, int64_t us);
  void onWake(int w, uint32_t token);
  void doAction(const StreamAction& a);
  void killWorker(int w);
  int64_t dropPartition(Partition& p);
  int leastLoadedAlive() const;
  void onFailover(int pi, uint32_t gen);
  void takeover(int pi, int w);
  void restartWorker(int w);
  void checkRecovery(int pi);

  // ---- views
  int64_t stateEntries(const Partition& p) const;
  int64_t workerEntries(int w) const;
  int64_t aliveUs(const Worker& k) const { return k.alive_us + (k.alive ? now - k.alive_since : 0); }
};

}  // namespace sl
