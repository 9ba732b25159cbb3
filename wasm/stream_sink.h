#pragma once
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace sl {

/// One event output (after filter, map and route): which event, its value, its route.
struct StreamEmission {
  uint32_t seq = 0;   ///< the event's arrival number (its id)
  int64_t value = 0;  ///< value after map
  int route = -1;     ///< route output, -1 without a route operator
};

/// What downstream consumers saw: the events emitted to the outputs and the table of window
/// results. Every emission that reaches the sink is visible: uncommitted output of a
/// transactional job is held back by the job, not here.
class StreamSink {
 public:
  /// routes: outputs of the widest route operator (1 without one). idempotent: drop an
  /// event whose id was already emitted, as a sink that upserts by event id does.
  StreamSink(int routes, bool idempotent);

  /// An event reaches the outputs. Returns false when it is a repeat (emitted before).
  bool emit(const StreamEmission& e);
  /// A window result reaches the results table, which keeps the latest value per window.
  /// Returns false when the window had a result before.
  bool emitWindow(uint64_t window_id, int64_t value);
  /// True when this event was emitted before (whether or not the repeat was dropped).
  bool seen(uint32_t seq) const;

  struct WindowResult {
    int64_t value;
    uint32_t emissions;
  };
  const std::unordered_map<uint64_t, WindowResult>& windows() const { return windows_; }

  uint64_t out = 0;           ///< emissions that reached the outputs (repeats included)
  int64_t value_sum = 0;      ///< sum of their values
  uint64_t digest = 0;        ///< order-free digest of (event, value, route) over them
  std::vector<uint64_t> route_totals;
  uint64_t duplicates = 0;    ///< emissions of an event that had reached the outputs before
  uint64_t deduplicated = 0;  ///< repeats the idempotent sink dropped
  uint64_t windows_emitted = 0, window_repeats = 0;

 private:
  bool idempotent_;
  std::vector<uint64_t> seen_;  ///< one bit per event id
  std::unordered_map<uint64_t, WindowResult> windows_;
};

}  // namespace sl
