#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace sl {

/// What an event does when it fires; interpreted by Simulation.
enum class EventType : uint8_t {
  Arrival,        ///< next request reaches the balancer
  AtServer,       ///< request reaches its server (a = request)
  AtStore,        ///< request's session lookup reaches the store (a = request)
  StoreDone,      ///< store finished a lookup (a = request)
  BackAtServer,   ///< store's answer reaches the server (a = request)
  ServiceDone,    ///< server finished a request (a = request)
  Response,       ///< response reaches the balancer / user (a = request)
  Timeline,       ///< scenario timeline action (a = index into the timeline)
  ServerReady,    ///< a started or restarted server joins the rotation (a = server, b = generation)
  AutoscaleTick,  ///< the autoscaler looks at utilization
  SeriesTick,     ///< close one bucket of the per-interval series
  RollingStep,    ///< rolling restart reaches server a: drain it, then start it again
};

/// One scheduled event. Ordered by (time, seq): simultaneous events fire in the order they
/// were scheduled, which keeps runs identical across builds.
struct Event {
  int64_t time_us;  ///< simulated time, microseconds
  uint64_t seq;     ///< tie-breaker: order of scheduling
  EventType type;
  uint32_t a;  ///< payload (request index, server, timeline index)
  uint32_t b;  ///< payload (generation check)
};

/// A binary min-heap of events on one reusable vector: no allocation per event once warm.
class EventQueue {
 public:
  void push(int64_t time_us, EventType type, uint32_t a = 0, uint32_t b = 0);
  /// Removes and returns the earliest event; the queue must not be empty.
  Event pop();
  const Event& top() const { return heap_.front(); }
  bool empty() const { return heap_.empty(); }
  size_t size() const { return heap_.size(); }
  size_t capacityBytes() const { return heap_.capacity() * sizeof(Event); }
  void clear() { heap_.clear(); }

 private:
  static bool before(const Event& x, const Event& y) {
    return x.time_us < y.time_us || (x.time_us == y.time_us && x.seq < y.seq);
  }
  std::vector<Event> heap_;
  uint64_t next_seq_ = 0;
};

}  // namespace sl
