#include "alias_table.h"

#include "portable_math.h"

namespace sl {

AliasTable AliasTable::zipf(uint32_t n, double skew) {
  if (skew == 0.0 || n <= 1) {
    AliasTable t;
    t.n_ = n ? n : 1;
    return t;
  }
  std::vector<double> w(n);
  for (uint32_t i = 0; i < n; ++i) w[i] = portablePow(static_cast<double>(i + 1), -skew);
  return AliasTable(w);
}

AliasTable::AliasTable(const std::vector<double>& weights)
    : n_(static_cast<uint32_t>(weights.size())), uniform_(false) {
  double total = 0;
  for (double w : weights) total += w;
  std::vector<double> scaled(n_);
  std::vector<uint32_t> small, large;
  for (uint32_t i = 0; i < n_; ++i) {
    scaled[i] = weights[i] * n_ / total;
    (scaled[i] < 1.0 ? small : large).push_back(i);
  }
  threshold_.assign(n_, 1ULL << 32);
  alias_.resize(n_);
  for (uint32_t i = 0; i < n_; ++i) alias_[i] = i;
  while (!small.empty() && !large.empty()) {
    const uint32_t s = small.back();
    small.pop_back();
    const uint32_t l = large.back();
    threshold_[s] = static_cast<uint64_t>(scaled[s] * 4294967296.0);
    alias_[s] = l;
    scaled[l] = (scaled[l] + scaled[s]) - 1.0;
    if (scaled[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  // Leftovers are 1 up to rounding: they keep their own column.
}

}  // namespace sl
