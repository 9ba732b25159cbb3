#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "random.h"

namespace sl {

/// Walker/Vose alias table: draws an index with given weights in O(1).
class AliasTable {
 public:
  AliasTable() = default;
  /// Weights 1/(i+1)^skew for i in [0, n): skew 0 is uniform, 1 is Zipf's law.
  static AliasTable zipf(uint32_t n, double skew);
  explicit AliasTable(const std::vector<double>& weights);

  uint32_t sample(Random& rng) const {
    if (uniform_) return rng.below(n_);
    const uint64_t bits = rng.next();
    const uint32_t i = static_cast<uint32_t>(((bits >> 32) * n_) >> 32);
    // Low 32 bits decide between the column and its alias.
    return static_cast<uint32_t>(bits & 0xffffffffu) < threshold_[i] ? i : alias_[i];
  }
  uint32_t size() const { return n_; }
  size_t capacityBytes() const { return threshold_.capacity() * 8 + alias_.capacity() * 4; }

 private:
  uint32_t n_ = 1;
  bool uniform_ = true;
  std::vector<uint64_t> threshold_;  // probability of keeping column i, scaled to 2^32
  std::vector<uint32_t> alias_;
};

}  // namespace sl
