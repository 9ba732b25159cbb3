#pragma once
#include <cstdint>
#include <vector>

#include "random.h"
#include "scenario.h"

namespace sl {

/// Picks a server for each request according to a Policy. Knows which servers are in
/// rotation and how many requests each has in flight; holds sticky pins per user.
class Balancer {
 public:
  /// Virtual nodes per server on the consistent-hash ring.
  static constexpr int kVirtualNodes = 160;

  Balancer(Policy policy, int64_t users);

  Policy policy() const { return policy_; }
  void setPolicy(Policy p) { policy_ = p; }

  /// Server `id` joins (true) or leaves (false) the rotation. Ids may be new (added servers).
  void setInRotation(int id, bool in);
  bool inRotation(int id) const { return id < static_cast<int>(in_rotation_.size()) && in_rotation_[id]; }
  const std::vector<int>& rotation() const { return rotation_; }

  /// The server for a request of `user`, or -1 if none is in rotation. `inflight[i]` is
  /// server i's requests in flight (used by least_connections and power_of_two).
  /// Round robin is inline: it is the most common policy and costs a load and a compare.
  int pick(uint32_t user, const std::vector<int>& inflight, Random& rng) {
    if (policy_ == Policy::RoundRobin && !rotation_.empty()) return rotation_[takeTurn()];
    return pickOther(user, inflight, rng);
  }

  /// The server a hash policy (ip_hash, consistent_hash) maps `user` to now, -1 if none.
  int hashRoute(uint32_t user) const;
  /// How many users a sticky pin moved because their server left the rotation.
  uint64_t repinned() const { return repinned_; }

 private:
  void rebuild();
  int pickOther(uint32_t user, const std::vector<int>& inflight, Random& rng);
  /// next_ % rotation size, then one turn further: the rotating cursor of round robin, least
  /// connections and sticky pins, without a division per request.
  uint32_t takeTurn() {
    const uint32_t at = cursor_;
    // (next_ wraps at 2^32, where the modulo restarts at 0; no run gets near: 1e8 requests.)
    cursor_ = ++next_ == 0 || at + 1 == rotation_.size() ? 0 : at + 1;
    return at;
  }

  Policy policy_;
  std::vector<uint8_t> in_rotation_;        // by server id
  std::vector<int> rotation_;               // ids in rotation, ascending
  std::vector<std::pair<uint64_t, int>> ring_;  // (point, server) for every server ever known
  std::vector<int32_t> pin_;                // sticky_cookie: pinned server per user, -1 none
  uint32_t next_ = 0;                       // turns taken (round robin cursor before the modulo)
  uint32_t cursor_ = 0;                     // next_ % rotation_.size() (0 when empty)
  uint64_t repinned_ = 0;
};

}  // namespace sl
