#pragma once
#include <cstddef>
#include <vector>

namespace sl {

/// A FIFO queue in one ring buffer whose capacity is a power of two (16, 32, ...), so that
/// wrapping is a mask, not a division. Grows by doubling, keeping order: amortised, never per
/// item once warm. Used for the requests waiting at a server and at the session store.
template <typename T>
class FifoRing {
 public:
  size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }
  /// The i-th oldest item, i < size().
  const T& at(size_t i) const { return items_[(head_ + i) & (items_.size() - 1)]; }
  const T& front() const { return items_[head_]; }

  void push(const T& item) {
    if (count_ == items_.size()) grow();
    items_[(head_ + count_) & (items_.size() - 1)] = item;
    ++count_;
  }
  /// Removes the oldest item; the ring must not be empty.
  T pop() {
    const T item = items_[head_];
    head_ = (head_ + 1) & (items_.size() - 1);
    --count_;
    return item;
  }
  /// Empties the ring, keeping its capacity.
  void clear() { head_ = count_ = 0; }
  size_t capacityBytes() const { return items_.capacity() * sizeof(T); }

 private:
  void grow() {
    std::vector<T> bigger(items_.size() < 8 ? 16 : items_.size() * 2);
    for (size_t i = 0; i < count_; ++i) bigger[i] = at(i);
    items_.swap(bigger);
    head_ = 0;
  }

  std::vector<T> items_;
  size_t head_ = 0, count_ = 0;
};

}  // namespace sl
