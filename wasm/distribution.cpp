#include "distribution.h"

#include <cmath>

#include "portable_math.h"
#include "vocabulary.h"

namespace sl {

Distribution::Distribution(const DistributionDef& def)
    : def_(def), mean_us_(def.mean_ms * 1000.0), mu_(0.0) {
  if (def.kind == DistKind::Lognormal) {
    // E[X] = exp(mu + sigma^2/2), so mu = ln(mean) - sigma^2/2.
    mu_ = portableLog(mean_us_) - 0.5 * def.sigma * def.sigma;
  }
}

double Distribution::standardNormal(Random& rng) {
  // Marsaglia's polar method: needs only log and sqrt (sqrt is exact in IEEE 754).
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  double u, v, s;
  do {
    u = 2.0 * rng.uniform() - 1.0;
    v = 2.0 * rng.uniform() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  const double f = std::sqrt(-2.0 * portableLog(s) / s);
  spare_ = v * f;
  has_spare_ = true;
  return u * f;
}

double Distribution::lognormalUs(Random& rng) { return portableExp(mu_ + def_.sigma * standardNormal(rng)); }

const char* distName(DistKind kind) { return nameIn(kDistNames, kind); }

}  // namespace sl
