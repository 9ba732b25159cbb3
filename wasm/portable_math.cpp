#include "portable_math.h"

#include <cmath>
#include <cstdint>
#include <cstring>

namespace sl {

namespace {

/// log(x) by one range reduction and a long series: slow, used to build the table below.
double seriesLog(double x) {
  // x = m * 2^e with m in [sqrt(1/2), sqrt(2)), then log m = 2 atanh(s), s = (m-1)/(m+1).
  int e = 0;
  double m = std::frexp(x, &e);  // m in [0.5, 1)
  if (m < 0.70710678118654752440) {
    m *= 2.0;
    e -= 1;
  }
  const double s = (m - 1.0) / (m + 1.0);
  const double s2 = s * s;
  // |s| <= 0.1716, so s^2 <= 0.02944: 11 odd terms bring the error below 1e-18.
  double sum = 1.0 / 23.0;
  sum = sum * s2 + 1.0 / 21.0;
  sum = sum * s2 + 1.0 / 19.0;
  sum = sum * s2 + 1.0 / 17.0;
  sum = sum * s2 + 1.0 / 15.0;
  sum = sum * s2 + 1.0 / 13.0;
  sum = sum * s2 + 1.0 / 11.0;
  sum = sum * s2 + 1.0 / 9.0;
  sum = sum * s2 + 1.0 / 7.0;
  sum = sum * s2 + 1.0 / 5.0;
  sum = sum * s2 + 1.0 / 3.0;
  sum = sum * s2 + 1.0;
  const double ln2_hi = 6.93147180369123816490e-01;
  const double ln2_lo = 1.90821492927058770002e-10;
  return e * ln2_hi + (2.0 * s * sum + e * ln2_lo);
}

}  // namespace

LogTable::LogTable() {
  for (int i = 0; i < 128; ++i) {
    c[i] = 1.0 + (i + 0.5) / 128.0;
    log_c[i] = seriesLog(c[i]);
    inv_c[i] = 1.0 / c[i];
  }
}

const LogTable kLogTable;

double portableLogSlow(double x) { return seriesLog(x); }

double portableExp(double x) {
  // x = k ln2 + r with |r| <= ln2/2; e^r by its Taylor series; then scale by 2^k.
  const double ln2_hi = 6.93147180369123816490e-01;
  const double ln2_lo = 1.90821492927058770002e-10;
  const double k = std::floor(x * 1.44269504088896338700 + 0.5);
  const double r = (x - k * ln2_hi) - k * ln2_lo;
  double sum = 1.0 / 6227020800.0;  // 1/13!
  const double inv[] = {1.0 / 479001600.0, 1.0 / 39916800.0, 1.0 / 3628800.0, 1.0 / 362880.0,
                        1.0 / 40320.0,     1.0 / 5040.0,     1.0 / 720.0,      1.0 / 120.0,
                        1.0 / 24.0,        1.0 / 6.0,        0.5,              1.0,
                        1.0};
  for (double c : inv) sum = sum * r + c;
  return std::ldexp(sum, static_cast<int>(k));
}

double portablePow(double x, double y) { return portableExp(y * portableLog(x)); }

}  // namespace sl
