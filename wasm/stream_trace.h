#pragma once
#include <cstdint>
#include <vector>

namespace sl {

/// What a stream trace event shows.
enum class StreamTraceKind : uint8_t {
  Arrive = 0,      ///< source -> partition: an event appended (t0 = t1 = event time)
  Process = 1,     ///< partition -> worker: an event processed (t0 start, t1 done)
  Window = 2,      ///< a window result emitted by `worker` for `partition` (t0 = t1 = emit time)
  Checkpoint = 3,  ///< a commit (every mode; worker = -1; value = state entries held, seq = number)
  Crash = 4,       ///< `worker` crashed (value = partitions it owned; detail = windows lost)
  Restart = 5,     ///< `worker` restarted
  Assign = 6,      ///< `partition` taken over by `worker` (detail: 0 failover, 1 handed back)
  Replay = 7,      ///< `partition` rewound on `worker` (detail = events to process again)
};

/// Flag bits on stream trace events.
enum StreamTraceFlag : uint8_t {
  kStreamFiltered = 1,  ///< Process: a filter dropped the event
  kStreamReplayed = 2,  ///< Process: second processing of an event; Window: emitted during a replay
  kStreamLostState = 4, ///< Window: part of this window's state was lost in a crash
  kStreamRepeat = 8,    ///< Window: this window had been emitted before
  kStreamDuplicate = 16,     ///< Process: its output reached downstream a second time
  kStreamDeduplicated = 32,  ///< Process: a repeat output the idempotent sink dropped
};

/// Events of one step, as parallel arrays (typed arrays in JavaScript). Bounded: past `limit`
/// events a step only counts drops.
struct StreamTrace {
  std::vector<uint8_t> kind;      ///< StreamTraceKind
  std::vector<int32_t> worker;    ///< worker id, -1 none (e.g. Arrive)
  std::vector<int32_t> partition; ///< partition id, -1 none
  std::vector<int32_t> key;       ///< event or window key, -1 none
  std::vector<uint32_t> seq;      ///< Arrive/Process: event number; Window: window index (start = index * window_s)
  std::vector<double> value;      ///< event value after map / window result / see kind
  std::vector<int32_t> detail;    ///< Process: route output (-1 none); Window: operator index; see kind
  std::vector<uint8_t> flags;     ///< StreamTraceFlag bits
  std::vector<double> t0;         ///< seconds
  std::vector<double> t1;         ///< seconds
  size_t limit = 20000;           ///< most events kept per step
  uint64_t dropped = 0;           ///< events past the limit in this step

  size_t size() const { return kind.size(); }
  void clear() {
    kind.clear(); worker.clear(); partition.clear(); key.clear(); seq.clear(); value.clear();
    detail.clear(); flags.clear(); t0.clear(); t1.clear();
    dropped = 0;
  }
  void add(StreamTraceKind k, int32_t w, int32_t p, int32_t ky, uint32_t sq, double v, int32_t det,
           uint8_t fl, double s0, double s1) {
    if (kind.size() >= limit) {
      ++dropped;
      return;
    }
    kind.push_back(static_cast<uint8_t>(k)); worker.push_back(w); partition.push_back(p);
    key.push_back(ky); seq.push_back(sq); value.push_back(v); detail.push_back(det);
    flags.push_back(fl); t0.push_back(s0); t1.push_back(s1);
  }
};

}  // namespace sl
