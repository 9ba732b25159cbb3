#include "stream_state.h"


namespace sl {

void StreamStateStore::remember(uint64_t state_key) {
  if (!tracking_ || undo_.count(state_key)) return;
  auto it = map_.find(state_key);
  undo_.emplace(state_key, it == map_.end() ? Prior{false, 0} : Prior{true, it->second});
}

void StreamStateStore::add(uint64_t state_key, int64_t delta) {
  remember(state_key);
  map_[state_key] += delta;
}

void StreamStateStore::reopen(uint64_t state_key, int64_t value) {
  if (map_.count(state_key)) return;
  remember(state_key);
  map_.emplace(state_key, value);
}

std::pair<uint64_t, int64_t> StreamStateStore::popFront() {
  auto it = map_.begin();
  const std::pair<uint64_t, int64_t> out{it->first, it->second};
  remember(out.first);
  map_.erase(it);
  return out;
}

void StreamStateStore::clear() {
  map_.clear();
  undo_.clear();
}

uint64_t StreamStateStore::checkpoint() {
  const uint64_t written = undo_.size();
  undo_.clear();
  return written;
}

uint64_t StreamStateStore::rollback() {
  const uint64_t restored = undo_.size();
  for (const auto& kv : undo_) {
    if (kv.second.existed) map_[kv.first] = kv.second.value;
    else map_.erase(kv.first);
  }
  undo_.clear();
  return restored;
}

}  // namespace sl
