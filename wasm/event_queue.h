#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace sl {

/// What a cluster-model event does when it fires; interpreted by Simulation.
enum class EventType : uint8_t {
  AtServer,       ///< request reaches its server (a = request)
  AtStore,        ///< request's session lookup reaches the store (a = request)
  StoreDone,      ///< store finished a lookup (a = store worker, b = store epoch)
  BackAtServer,   ///< store's answer reaches the server (a = request)
  ServiceDone,    ///< server finished a request (a = request)
  Response,       ///< response reaches the balancer / user (a = request)
  Timeline,       ///< scenario timeline action (a = index into the timeline)
  ServerReady,    ///< a started or restarted server joins the rotation (a = server, b = generation)
  AutoscaleTick,  ///< the autoscaler looks at utilization
  SeriesTick,     ///< close one bucket of the per-interval series
  RollingStep,    ///< rolling restart reaches server a: drain it, then start it again
};

/// One scheduled event of a model whose event kinds are `Type`. Ordered by (time, seq):
/// simultaneous events fire in the order they were scheduled, which keeps runs identical
/// across builds.
template <typename Type>
struct BasicEvent {
  int64_t time_us;  ///< simulated time, microseconds
  uint64_t seq;     ///< tie-breaker: order of scheduling
  Type type;
  uint32_t a;  ///< payload (request index, server, timeline index)
  uint32_t b;  ///< payload (generation check)
};

/// A 4-ary min-heap of events on one reusable vector: no allocation per event once warm.
/// Four children per node halve the depth of a binary heap: a pop moves half as many events
/// and its four child comparisons are adjacent in memory. Events pop in (time, seq) order,
/// which is total, so the shape of the heap never changes the results.
/// Each model instantiates it with its own event kinds.
template <typename Type>
class BasicEventQueue {
 public:
  using Event = BasicEvent<Type>;

  void push(int64_t time_us, Type type, uint32_t a = 0, uint32_t b = 0) {
    // The new event's fields are compared from registers and stored once, in place: building
    // it as a struct first made the copy read back narrow stores just made (a stall per push).
    const uint64_t seq = next_seq_++;
    if (hole_) {
      hole_ = false;
      siftDown(time_us, seq, type, a, b);
      return;
    }
    size_t i = heap_.size();
    heap_.emplace_back();
    while (i > 0) {
      const size_t parent = (i - 1) / kArity;
      const Event& p = heap_[parent];
      if (!(time_us < p.time_us || (time_us == p.time_us && seq < p.seq))) break;
      heap_[i] = p;
      i = parent;
    }
    place(i, time_us, seq, type, a, b);
  }

  /// Removes and returns the earliest event; the queue must not be empty.
  Event pop() {
    settle();
    const Event out = heap_.front();
    removeFront();
    return out;
  }

  /// Removes and returns the earliest event, leaving its slot empty until the next push or
  /// look at the queue. Most events schedule one more (a completion starts the next request's
  /// service): that push then fills the root and sifts down once, instead of a pop's sift-down
  /// followed by a push's sift-up. Pop order is (time, seq) either way.
  Event take() {
    settle();
    hole_ = true;
    return heap_.front();
  }

  /// A sequence number for an event kept outside the heap, so that it still sorts among the
  /// heap's events exactly as if it had been pushed now.
  uint64_t takeSeq() { return next_seq_++; }

  const Event& top() {
    settle();
    return heap_.front();
  }
  bool empty() const { return heap_.size() == static_cast<size_t>(hole_); }
  size_t size() const { return heap_.size() - static_cast<size_t>(hole_); }
  size_t capacityBytes() const { return heap_.capacity() * sizeof(Event); }
  void clear() {
    heap_.clear();
    hole_ = false;
  }

 private:
  /// Completes a take() that no push has filled.
  void settle() {
    if (hole_) {
      hole_ = false;
      removeFront();
    }
  }
  void removeFront() {
    const Event last = heap_.back();
    heap_.pop_back();
    if (heap_.empty()) return;
    siftDown(last.time_us, last.seq, last.type, last.a, last.b);
  }
  /// Writes an event's fields into slot i, field by field (see push).
  void place(size_t i, int64_t time_us, uint64_t seq, Type type, uint32_t a, uint32_t b) {
    Event& e = heap_[i];
    e.time_us = time_us;
    e.seq = seq;
    e.type = type;
    e.a = a;
    e.b = b;
  }
  /// Places an event at the root's empty slot and moves it down to its place.
  void siftDown(int64_t time_us, uint64_t seq, Type type, uint32_t a, uint32_t b) {
    const size_t n = heap_.size();
    size_t i = 0;
    for (;;) {
      const size_t first = kArity * i + 1;
      if (first >= n) break;
      const size_t end = first + kArity < n ? first + kArity : n;
      size_t child = first;
      if (end - first == kArity) {
        // A tournament of selects: which child is earliest is a coin toss that a branch
        // predictor keeps losing, and two rounds of two compares overlap.
        const size_t l = first + static_cast<size_t>(before(heap_[first + 1], heap_[first]));
        const size_t r = first + 2 + static_cast<size_t>(before(heap_[first + 3], heap_[first + 2]));
        child = before(heap_[r], heap_[l]) ? r : l;
      } else {
        for (size_t c = first + 1; c < end; ++c)
          if (before(heap_[c], heap_[child])) child = c;
      }
      const Event& ch = heap_[child];
      if (!(ch.time_us < time_us || (ch.time_us == time_us && ch.seq < seq))) break;
      heap_[i] = ch;
      i = child;
    }
    place(i, time_us, seq, type, a, b);
  }
  static constexpr size_t kArity = 4;
  static bool before(const Event& x, const Event& y) {
    // Bitwise, not short-circuit: no branch on whether the times tie.
    return (x.time_us < y.time_us) | ((x.time_us == y.time_us) & (x.seq < y.seq));
  }
  std::vector<Event> heap_;
  uint64_t next_seq_ = 0;
  bool hole_ = false;  ///< heap_.front() was taken and awaits a push to fill it
};

using Event = BasicEvent<EventType>;
using EventQueue = BasicEventQueue<EventType>;

}  // namespace sl
