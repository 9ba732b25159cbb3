#include "worker_pool.h"

#include <algorithm>

namespace sl {

void WorkerPool::reset(int workers, int queue_limit) {
  slots_.assign(static_cast<size_t>(workers), kFree);
  queue_limit_ = static_cast<size_t>(queue_limit);
  busy_us_ = interval_busy_us_ = 0;
  clear();
}

void WorkerPool::clear() {
  std::fill(slots_.begin(), slots_.end(), kFree);
  free_.clear();
  for (int w = static_cast<int>(slots_.size()) - 1; w >= 0; --w) free_.push_back(static_cast<uint32_t>(w));
  queue_.clear();
}

size_t WorkerPool::capacityBytes() const {
  return slots_.capacity() * sizeof(uint64_t) + free_.capacity() * sizeof(uint32_t) + queue_.capacityBytes();
}

}  // namespace sl
