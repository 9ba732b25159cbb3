#include "balancer.h"

#include <algorithm>

namespace sl {

namespace {
// Fixed salts so that hashing depends on the user only, identically in every build.
constexpr uint64_t kIpSalt = 0x5bd1e9955bd1e995ULL;
constexpr uint64_t kRingSalt = 0x2545f4914f6cdd1dULL;
}  // namespace

Balancer::Balancer(Policy policy, int64_t users)
    : policy_(policy), pin_(static_cast<size_t>(users), -1) {}

void Balancer::setInRotation(int id, bool in) {
  if (id >= static_cast<int>(in_rotation_.size())) {
    const int first_new = static_cast<int>(in_rotation_.size());
    in_rotation_.resize(static_cast<size_t>(id) + 1, 0);
    // Every server gets its points on the ring once, when first seen; they stay while it is
    // out of rotation so that its users come back to it, as ketama does.
    for (int s = first_new; s <= id; ++s) {
      for (int v = 0; v < kVirtualNodes; ++v) {
        ring_.emplace_back(mix64(kRingSalt ^ (static_cast<uint64_t>(s) << 20) ^ static_cast<uint64_t>(v)), s);
      }
    }
    std::sort(ring_.begin(), ring_.end());
  }
  in_rotation_[static_cast<size_t>(id)] = in ? 1 : 0;
  rebuild();
}

void Balancer::rebuild() {
  rotation_.clear();
  for (size_t i = 0; i < in_rotation_.size(); ++i)
    if (in_rotation_[i]) rotation_.push_back(static_cast<int>(i));
  cursor_ = rotation_.empty() ? 0 : next_ % static_cast<uint32_t>(rotation_.size());
}

int Balancer::hashRoute(uint32_t user) const {
  const size_t n = rotation_.size();
  if (n == 0) return -1;
  if (policy_ == Policy::ConsistentHash) {
    const uint64_t h = mix64(kRingSalt + user);
    auto it = std::lower_bound(ring_.begin(), ring_.end(), std::make_pair(h, -1));
    for (size_t step = 0; step < ring_.size(); ++step, ++it) {
      if (it == ring_.end()) it = ring_.begin();
      if (in_rotation_[static_cast<size_t>(it->second)]) return it->second;
    }
    return -1;
  }
  // ip_hash: modulo the servers in rotation, like `hash $key` without `consistent`.
  return rotation_[mix64(kIpSalt ^ user) % n];
}

int Balancer::pickOther(uint32_t user, const std::vector<int>& inflight, Random& rng) {
  const uint32_t n = static_cast<uint32_t>(rotation_.size());
  if (n == 0) return -1;
  switch (policy_) {
    case Policy::Random:
      return rotation_[rng.below(n)];
    case Policy::RoundRobin:
      return rotation_[takeTurn()];
    case Policy::LeastConnections: {
      // Start the scan at a rotating offset so that ties do not all go to the lowest id.
      const uint32_t start = takeTurn();
      int best = rotation_[start];
      for (uint32_t k = 1; k < n; ++k) {
        const int s = rotation_[(start + k) % n];
        if (inflight[static_cast<size_t>(s)] < inflight[static_cast<size_t>(best)]) best = s;
      }
      return best;
    }
    case Policy::PowerOfTwo: {
      if (n == 1) return rotation_[0];
      const uint32_t a = rng.below(n);
      uint32_t b = rng.below(n - 1);
      if (b >= a) ++b;
      const int sa = rotation_[a], sb = rotation_[b];
      return inflight[static_cast<size_t>(sb)] < inflight[static_cast<size_t>(sa)] ? sb : sa;
    }
    case Policy::IpHash:
    case Policy::ConsistentHash:
      return hashRoute(user);
    case Policy::StickyCookie: {
      int32_t& pin = pin_[user];
      if (pin >= 0 && inRotation(pin)) return pin;
      // A gone server's users get a new pin and keep it even when the old one returns.
      if (pin >= 0) ++repinned_;
      pin = rotation_[takeTurn()];
      return pin;
    }
  }
  return -1;
}

}  // namespace sl
