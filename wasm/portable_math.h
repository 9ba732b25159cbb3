#pragma once
// Logarithm and exponential written with +, -, *, / and frexp/ldexp only, so that every build
// (glibc natively, musl in WebAssembly) computes the same bits. Library log/exp are not
// required to be correctly rounded and do differ between C libraries.
#include <cstdint>
#include <cstring>

namespace sl {

/// c_i, log(c_i) and 1/c_i at the centres c_i = 1 + (i + 0.5)/128 of 128 equal slices of
/// [1, 2), filled once before main() (portable_math.cpp). c_i is exact in a double, so reading
/// it gives the same bits as computing it, without an integer conversion per logarithm.
struct LogTable {
  double c[128];
  double log_c[128];
  double inv_c[128];
  LogTable();
};
extern const LogTable kLogTable;

/// portableLog for zero, subnormal, infinite and NaN arguments (and x < 0): the slow series.
double portableLogSlow(double x);

/// e log 2 + log(c) + log(1 + r) for |r| < 1/256, the last by seven terms of its series: the
/// arithmetic of portableLog once m = c (1 + r) is known. A template so that a vector of
/// lanes (Random's batches) does exactly these operations in exactly this order.
template <class T>
inline T logFromParts(T e, T log_c, T r) {
  T p = T{} - 1.0 / 8.0;
  p = p * r + 1.0 / 7.0;
  p = p * r - 1.0 / 6.0;
  p = p * r + 1.0 / 5.0;
  p = p * r - 1.0 / 4.0;
  p = p * r + 1.0 / 3.0;
  p = p * r - 0.5;
  const T log1p_r = r + r * r * p;
  const double ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10;
  return e * ln2_hi + (log_c + (e * ln2_lo + log1p_r));
}

/// Natural logarithm of x > 0, accurate to about 1 ulp. Deterministic across platforms.
/// Inline: every request draws two or more (arrival gap, service time).
inline double portableLog(double x) {
  // x = 2^e * m, m in [1, 2) read from the bits (x > 0 and normal here); m = c_i (1 + r) with
  // c_i the centre of m's 1/128 slice, so |r| < 1/256 and seven terms of log(1 + r) suffice.
  uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  const int e = static_cast<int>((bits >> 52) & 0x7ff) - 1023;
  if (e == -1023 || e == 1024) return portableLogSlow(x);
  const uint64_t mbits = (bits & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL;
  double m;
  std::memcpy(&m, &mbits, sizeof m);
  const int i = static_cast<int>((bits >> 45) & 127);
  const double c = kLogTable.c[i];
  const double r = (m - c) * kLogTable.inv_c[i];  // m - c is exact: both share an exponent
  return logFromParts(static_cast<double>(e), kLogTable.log_c[i], r);
}

/// e^x for |x| < 700, accurate to about 1 ulp. Deterministic across platforms.
double portableExp(double x);

/// x^y for x > 0, as portableExp(y * portableLog(x)).
double portablePow(double x, double y);

}  // namespace sl
