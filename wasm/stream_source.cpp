#include "stream_source.h"

#include <cmath>

#include "portable_math.h"

namespace sl {

namespace {
// Separates the source's generator from the processing generator seeded by the same seed.
constexpr uint64_t kSourceStream = 0x736f7572636531ULL;
}  // namespace

StreamSource::StreamSource(const StreamSourceDef& def, uint64_t seed, int64_t end_us)
    : rng_(mix64(seed ^ kSourceStream)),
      keys_(AliasTable::zipf(static_cast<uint32_t>(def.keys), def.key_skew)),
      mean_gap_us_(def.rate_per_s > 0 ? 1e6 / def.rate_per_s : 0.0),
      value_span_(static_cast<uint32_t>(def.value_max + 1)),
      end_us_(def.rate_per_s > 0 ? end_us : 0) {}

bool StreamSource::next(StreamRecord& out) {
  if (t_us_ >= end_us_) return false;
  // Draw order is fixed (gap, key, value) so every build sees the same stream.
  const double gap = -mean_gap_us_ * rng_.logUniform();
  // A tiny rate gives a gap past the end (or infinite): stop before converting it.
  if (!(gap + 0.5 < static_cast<double>(end_us_ - t_us_))) {
    t_us_ = end_us_;
    return false;
  }
  t_us_ += static_cast<int64_t>(gap + 0.5);
  out.t_us = t_us_;
  out.seq = seq_++;
  out.key = keys_.sample(rng_);
  out.value = static_cast<int64_t>(rng_.below(value_span_));
  return true;
}

int streamPartitionOf(uint32_t key, int partitions) {
  return static_cast<int>(mix64(key) % static_cast<uint64_t>(partitions));
}

}  // namespace sl
