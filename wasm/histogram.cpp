#include "histogram.h"

#include <algorithm>
#include <cmath>

namespace sl {

Histogram::Histogram(int bits) : bits_(bits), sub_count_(1ULL << bits) {
  buckets_.assign(static_cast<size_t>(kMaxExponent - bits_ + 2) * sub_count_, 0);
}

void Histogram::clear() {
  std::fill(buckets_.begin(), buckets_.end(), 0);
  count_ = 0;
  sum_ = 0.0;
  max_ = 0;
}

double Histogram::midpoint(size_t i) const {
  if (i < sub_count_) return static_cast<double>(i);
  const size_t shift = i / sub_count_ - 1;
  const uint64_t low = (sub_count_ + i % sub_count_) << shift;
  const uint64_t width = 1ULL << shift;
  return static_cast<double>(low) + static_cast<double>(width - 1) / 2.0;
}

double Histogram::quantile(double q) const {
  if (count_ == 0) return 0.0;
  q = std::min(1.0, std::max(0.0, q));
  uint64_t rank = static_cast<uint64_t>(std::ceil(q * static_cast<double>(count_)));
  if (rank < 1) rank = 1;
  uint64_t seen = 0;
  for (size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i];
    if (seen >= rank) return std::min(midpoint(i), static_cast<double>(max_));
  }
  return static_cast<double>(max_);
}

}  // namespace sl
