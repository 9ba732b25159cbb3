#pragma once
#include "portable_math.h"
#include "random.h"

namespace sl {

/// Shape of a random duration.
enum class DistKind { Exponential, Constant, Lognormal };

/// A random duration: service times of servers and of the session store.
struct DistributionDef {
  DistKind kind = DistKind::Exponential;
  double mean_ms = 10.0;  ///< mean, milliseconds (> 0)
  double sigma = 0.5;     ///< lognormal only: standard deviation of the underlying normal
};

/// Draws from a DistributionDef using only the project's own arithmetic.
class Distribution {
 public:
  explicit Distribution(const DistributionDef& def = {});

  /// One sample in microseconds, rounded to the nearest whole microsecond (>= 0). Inline for
  /// the exponential and constant kinds: one per request on the hot path.
  int64_t sampleUs(Random& rng) {
    double us = mean_us_;
    if (def_.kind == DistKind::Exponential) us = -mean_us_ * rng.logUniform();
    else if (def_.kind == DistKind::Lognormal) us = lognormalUs(rng);
    return static_cast<int64_t>(us + 0.5);
  }

  const DistributionDef& def() const { return def_; }

 private:
  double standardNormal(Random& rng);
  double lognormalUs(Random& rng);

  DistributionDef def_;
  double mean_us_;
  double mu_;  // lognormal location of the underlying normal, chosen so the mean is mean_ms
  bool has_spare_ = false;
  double spare_ = 0.0;
};

const char* distName(DistKind kind);

}  // namespace sl
