#pragma once
#include <cstdint>

#include "alias_table.h"
#include "random.h"
#include "stream_scenario.h"

namespace sl {

/// One event of the input stream. Its event time is when the source appended it.
struct StreamRecord {
  int64_t t_us = 0;    ///< event time, simulated microseconds
  uint32_t seq = 0;    ///< arrival number, 0, 1, 2 ... (identifies the event everywhere)
  uint32_t key = 0;    ///< 0..keys-1
  int64_t value = 0;   ///< 0..value_max
};

/// The keyed event source: Poisson arrivals with keys and values drawn from its own generator,
/// so the events depend only on the scenario and its seed, never on crashes or processing.
class StreamSource {
 public:
  StreamSource(const StreamSourceDef& def, uint64_t seed, int64_t end_us);

  /// The next event, false once the source has stopped (event time at or past end_us).
  bool next(StreamRecord& out);

 private:
  Random rng_;
  AliasTable keys_;
  double mean_gap_us_;
  uint32_t value_span_;
  int64_t end_us_;
  int64_t t_us_ = 0;
  uint32_t seq_ = 0;
};

/// The partition holding a key's events: a hash of the key modulo the partition count, so all
/// events of one key meet the same keyed state.
int streamPartitionOf(uint32_t key, int partitions);

}  // namespace sl
