#pragma once
#include <cstdint>

namespace sl {

/// xoshiro256** seeded through splitmix64. Owned by one simulation; the only source of
/// randomness in the core, so a scenario and its seed fix every result.
class Random {
 public:
  explicit Random(uint64_t seed = 1);

  /// Next 64 random bits.
  uint64_t next() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  /// Uniform in the open interval (0, 1): never 0, so log() of it is finite.
  double uniform() { return (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53; }

  /// Uniform integer in [0, n), n > 0 (Lemire's multiply-shift; the bias is below 2^-32 for the
  /// sizes used here, and it is the same bias on every platform).
  uint32_t below(uint32_t n) {
    return static_cast<uint32_t>(((next() >> 32) * static_cast<uint64_t>(n)) >> 32);
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

/// splitmix64 finaliser: a well-mixed 64-bit hash of x (used for hashing users to servers).
uint64_t mix64(uint64_t x);

}  // namespace sl
