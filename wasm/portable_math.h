#pragma once
// Logarithm and exponential written with +, -, *, / and frexp/ldexp only, so that every build
// (glibc natively, musl in WebAssembly) computes the same bits. Library log/exp are not
// required to be correctly rounded and do differ between C libraries.

namespace sl {

/// Natural logarithm of x > 0, accurate to about 1 ulp. Deterministic across platforms.
double portableLog(double x);

/// e^x for |x| < 700, accurate to about 1 ulp. Deterministic across platforms.
double portableExp(double x);

/// x^y for x > 0, as portableExp(y * portableLog(x)).
double portablePow(double x, double y);

}  // namespace sl
