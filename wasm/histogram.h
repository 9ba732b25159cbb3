#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace sl {

/// A streaming log-linear histogram of non-negative integer values (microseconds here).
/// Memory is fixed by the precision, not by the number of values: values below 2^bits are
/// kept exactly, larger ones in buckets 2^-bits wide relative to their value, so a reported
/// quantile (a bucket's midpoint) is within 2^-(bits+1) of a value in the data.
class Histogram {
 public:
  /// bits = 7 gives buckets 0.78% wide: quantiles within 0.4%.
  explicit Histogram(int bits = 7);

  void record(int64_t value) {
    if (value < 0) value = 0;
    ++buckets_[index(value)];
    ++count_;
    sum_ += static_cast<double>(value);
    if (value > max_) max_ = value;
  }
  void clear();

  uint64_t count() const { return count_; }
  double mean() const { return count_ ? sum_ / static_cast<double>(count_) : 0.0; }
  int64_t max() const { return max_; }
  /// Value at quantile q in [0, 1]; 0 when empty.
  double quantile(double q) const;
  size_t capacityBytes() const { return buckets_.capacity() * sizeof(uint64_t); }

 private:
  size_t index(int64_t v) const {
    const uint64_t u = static_cast<uint64_t>(v);
    if (u < sub_count_) return static_cast<size_t>(u);
    int e = 63 - __builtin_clzll(u);
    if (e > kMaxExponent) return buckets_.size() - 1;
    const int shift = e - bits_;
    return static_cast<size_t>((shift + 1)) * sub_count_ + static_cast<size_t>((u >> shift) - sub_count_);
  }
  double midpoint(size_t i) const;

  static constexpr int kMaxExponent = 46;  // 2^47 us is over four years
  int bits_;
  uint64_t sub_count_;
  std::vector<uint64_t> buckets_;
  uint64_t count_ = 0;
  double sum_ = 0.0;
  int64_t max_ = 0;
};

}  // namespace sl
