#pragma once
#include <cstdint>
#include <map>

namespace sl {

/// The keyed state of one windowed operator on one partition: (window, key) -> running count
/// or sum, ordered by window then key so that closing windows pops from the front.
///
/// Checkpoints are incremental: instead of copying every entry at each checkpoint, the store
/// remembers the checkpointed value of each entry the first time it changes afterwards (an
/// undo log). A checkpoint then writes only the entries changed since the previous one, and a
/// rollback restores only those. Work per checkpoint is proportional to the changes, never to
/// the size of the state.
class StreamStateStore {
 public:
  using Map = std::map<uint64_t, int64_t>;

  /// Orders entries by window, then key.
  static uint64_t keyOf(uint32_t window, uint32_t key) { return (static_cast<uint64_t>(window) << 32) | key; }
  static uint32_t windowOf(uint64_t state_key) { return static_cast<uint32_t>(state_key >> 32); }

  /// When off (no checkpoints of state) changes are not remembered and rollback() is void.
  void setTracking(bool on) { tracking_ = on; }

  /// Adds delta to an entry, creating it at 0 first.
  void add(uint64_t state_key, int64_t delta);
  /// Creates an entry with this value unless it exists (an already open window keeps its value).
  void reopen(uint64_t state_key, int64_t value);
  /// Removes and returns the first entry (the oldest window); the store must not be empty.
  std::pair<uint64_t, int64_t> popFront();
  /// Forgets every entry (a crash of in-memory state); the undo log is forgotten too.
  void clear();

  const Map& entries() const { return map_; }
  bool empty() const { return map_.empty(); }
  int64_t size() const { return static_cast<int64_t>(map_.size()); }

  /// Marks the current state as checkpointed. Returns the entries written: those changed since
  /// the previous checkpoint.
  uint64_t checkpoint();
  /// Returns to the state of the last checkpoint. Returns the entries restored.
  uint64_t rollback();
  /// Entries changed since the last checkpoint.
  uint64_t changed() const { return undo_.size(); }

 private:
  /// The checkpointed value of a changed entry; absent when the entry did not exist then.
  struct Prior {
    bool existed;
    int64_t value;
  };
  void remember(uint64_t state_key);

  Map map_;
  /// Ordered rather than hashed: measured faster on large states, and the same in every build.
  std::map<uint64_t, Prior> undo_;
  bool tracking_ = false;
};

}  // namespace sl
