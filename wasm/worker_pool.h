#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "fifo_ring.h"

namespace sl {

/// Identical workers with a bounded FIFO queue in front, and the time they spent busy: the
/// workers of one server, or of the session store. Entries are the owner's (a request index,
/// or a generation and a request); the pool only keeps them. Free workers are handed out last
/// freed first, starting with worker 0, so that runs are identical.
class WorkerPool {
 public:
  /// The entry of a free worker.
  static constexpr uint64_t kFree = ~0ULL;

  /// `workers` free workers and an empty queue of at most `queue_limit` entries.
  void reset(int workers, int queue_limit);

  int workers() const { return static_cast<int>(slots_.size()); }
  /// Workers holding an entry.
  int busy() const { return static_cast<int>(slots_.size() - free_.size()); }
  bool hasFree() const { return !free_.empty(); }
  /// What worker w holds, kFree if nothing.
  uint64_t entry(size_t w) const { return slots_[w]; }

  /// Gives `entry` a free worker (hasFree() must be true) and returns that worker.
  uint32_t take(uint64_t entry) {
    const uint32_t w = free_.back();
    free_.pop_back();
    slots_[w] = entry;
    return w;
  }
  /// Frees worker w and returns what it held.
  uint64_t release(uint32_t w) {
    const uint64_t e = slots_[w];
    slots_[w] = kFree;
    free_.push_back(w);
    return e;
  }
  /// Frees every worker and empties the queue (their entries are dropped: read them first).
  void clear();

  bool queueFull() const { return queue_.size() >= queue_limit_; }
  bool queueEmpty() const { return queue_.empty(); }
  size_t queued() const { return queue_.size(); }
  /// The i-th oldest waiting entry, i < queued().
  uint64_t queuedAt(size_t i) const { return queue_.at(i); }
  void enqueue(uint64_t entry) { queue_.push(entry); }
  /// Removes and returns the oldest waiting entry; the queue must not be empty.
  uint64_t dequeue() { return queue_.pop(); }

  /// Counts `us` worker-microseconds of work, in the total and in the current interval.
  void addBusy(int64_t us) {
    busy_us_ += us;
    interval_busy_us_ += us;
  }
  /// Worker-microseconds of work since reset().
  int64_t busyUs() const { return busy_us_; }
  /// Worker-microseconds of work since the last call (or reset()); starts a new interval.
  int64_t takeIntervalBusyUs() {
    const int64_t us = interval_busy_us_;
    interval_busy_us_ = 0;
    return us;
  }

  size_t capacityBytes() const;

 private:
  std::vector<uint64_t> slots_;  // entry per worker, kFree when free
  std::vector<uint32_t> free_;   // free workers; the next one taken is at the back
  FifoRing<uint64_t> queue_;
  size_t queue_limit_ = 0;
  int64_t busy_us_ = 0;
  int64_t interval_busy_us_ = 0;
};

}  // namespace sl
