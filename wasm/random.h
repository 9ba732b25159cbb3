#pragma once
#include <cstdint>

namespace sl {

/// xoshiro256** seeded through splitmix64. Owned by one simulation; the only source of
/// randomness in the core, so a scenario and its seed fix every result.
///
/// Draws are made kBatch at a time, each with portableLog(uniform()) of it beside: most draws
/// feed an exponential, and the logarithm's long chain of dependent multiply-adds runs several
/// times faster over a batch (the chains overlap) than one at a time on the event path. Every
/// draw is the same number, in the same order, as one at a time: only when the work is done
/// changes.
class Random {
 public:
  /// Draws made ahead at a time.
  static constexpr int kBatch = 32;

  explicit Random(uint64_t seed = 1);

  /// Next 64 random bits.
  uint64_t next() {
    if (pos_ == kBatch) refill();
    return bits_[pos_++];
  }

  /// Uniform in the open interval (0, 1): never 0, so log() of it is finite.
  double uniform() { return toUniform(next()); }

  /// portableLog(uniform()) of the next draw, bit for bit, taken from the batch.
  double logUniform() {
    if (pos_ == kBatch) refill();
    return log_[pos_++];
  }

  /// Uniform integer in [0, n), n > 0 (Lemire's multiply-shift; the bias is below 2^-32 for the
  /// sizes used here, and it is the same bias on every platform).
  uint32_t below(uint32_t n) {
    return static_cast<uint32_t>(((next() >> 32) * static_cast<uint64_t>(n)) >> 32);
  }

  /// The uniform in (0, 1) that a draw of `bits` stands for.
  static double toUniform(uint64_t bits) { return (static_cast<double>(bits >> 11) + 0.5) * 0x1.0p-53; }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t step() {
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
  /// Makes the next kBatch draws and their logarithms.
  void refill();

  uint64_t s_[4];
  int pos_ = kBatch;
  uint64_t bits_[kBatch];
  double log_[kBatch];
};

/// splitmix64 finaliser: a well-mixed 64-bit hash of x (used for hashing users to servers).
uint64_t mix64(uint64_t x);

}  // namespace sl
