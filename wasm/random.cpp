#include "random.h"

#include <cstring>

#include "portable_math.h"

namespace sl {

uint64_t mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

Random::Random(uint64_t seed) : bits_(), log_() {
  // The splitmix64 sequence from the seed: never all zero, well mixed even for seeds 0, 1, 2.
  uint64_t x = seed;
  for (auto& s : s_) {
    s = mix64(x);
    x += 0x9e3779b97f4a7c15ULL;
  }
}

namespace {

/// Two doubles side by side: one SSE2 register natively (WebAssembly without SIMD runs it as
/// two scalars). Each lane does exactly the operations of portableLog, in its order, so each
/// result has the same bits.
typedef double Pair __attribute__((vector_size(16)));

/// portableLog(toUniform(bits[k])) for k = 0, 1, both lanes at once.
void logUniformPair(const uint64_t* bits, double* out) {
  double m[2], e[2];
  int slice[2];
  for (int k = 0; k < 2; ++k) {
    const double x = Random::toUniform(bits[k]);
    uint64_t xb;
    std::memcpy(&xb, &x, sizeof xb);
    const int exponent = static_cast<int>((xb >> 52) & 0x7ff) - 1023;
    if (exponent == -1023 || exponent == 1024) {  // never for a uniform in (0, 1); kept exact
      out[0] = portableLog(Random::toUniform(bits[0]));
      out[1] = portableLog(Random::toUniform(bits[1]));
      return;
    }
    const uint64_t mbits = (xb & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL;
    std::memcpy(&m[k], &mbits, sizeof(double));
    e[k] = exponent;
    slice[k] = static_cast<int>((xb >> 45) & 127);
  }
  const Pair mv = {m[0], m[1]};
  const Pair c = {kLogTable.c[slice[0]], kLogTable.c[slice[1]]};
  const Pair inv_c = {kLogTable.inv_c[slice[0]], kLogTable.inv_c[slice[1]]};
  const Pair log_c = {kLogTable.log_c[slice[0]], kLogTable.log_c[slice[1]]};
  const Pair ev = {e[0], e[1]};
  const Pair r = (mv - c) * inv_c;
  const Pair result = logFromParts(ev, log_c, r);
  out[0] = result[0];
  out[1] = result[1];
}

}  // namespace

void Random::refill() {
  for (int i = 0; i < kBatch; ++i) bits_[i] = step();
  // Independent pairs: the processor overlaps their dependency chains.
  for (int i = 0; i < kBatch; i += 2) logUniformPair(&bits_[i], &log_[i]);
  pos_ = 0;
}

}  // namespace sl
