#include "random.h"

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

void Random::refill() {
  for (int i = 0; i < kBatch; ++i) bits_[i] = step();
  // Independent iterations: the processor overlaps their dependency chains.
  for (int i = 0; i < kBatch; ++i) log_[i] = portableLog(toUniform(bits_[i]));
  pos_ = 0;
}

}  // namespace sl
