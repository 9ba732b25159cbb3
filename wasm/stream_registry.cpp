#include "stream_registry.h"

namespace sl {

namespace {

struct Entry {
  const char* name;
  const char* text;
};

// The four share seed, source, partitions, workers and the crash of worker 1 mid-window, so
// their results differ only by the pipeline and the checkpoint mode.
const Entry kEntries[] = {
    {"stream-stateless-crash", R"json({
  "kind": "stream",
  "name": "stream-stateless-crash",
  "title": "Stateless pipeline: a worker crash changes nothing",
  "description": "Filter, map and route keep no state between events. Worker 1 crashes at 22.5 s; after failover its partitions continue on the survivors from where it stopped, and the output is the same as without the crash.",
  "seed": 7,
  "duration_s": 60,
  "source": {"rate_per_s": 200, "keys": 24, "value_max": 100},
  "partitions": 6,
  "workers": 3,
  "processing": {"event_ms": {"dist": "constant", "mean": 2}, "failover_s": 2},
  "pipeline": [
    {"op": "filter", "field": "value", "min": 20},
    {"op": "map", "scale": 2},
    {"op": "route", "outputs": 3, "by": "key"}
  ],
  "timeline": [
    {"at_s": 22.5, "do": "kill_worker", "worker": 1},
    {"at_s": 40, "do": "restart_worker", "worker": 1}
  ]
})json"},
    {"stream-window-no-checkpoint", R"json({
  "kind": "stream",
  "name": "stream-window-no-checkpoint",
  "title": "Windowed count without checkpoints: open windows are lost",
  "description": "A keyed 5-second window count keeps its counts in worker memory. Worker 1 crashes at 22.5 s, halfway through a window: the counts of its open windows are gone, and those windows come out short or not at all.",
  "seed": 7,
  "duration_s": 60,
  "source": {"rate_per_s": 200, "keys": 24, "value_max": 100},
  "partitions": 6,
  "workers": 3,
  "processing": {"event_ms": {"dist": "constant", "mean": 2}, "failover_s": 2},
  "pipeline": [{"op": "window_count", "window_s": 5}],
  "checkpoint": {"mode": "none"},
  "timeline": [
    {"at_s": 22.5, "do": "kill_worker", "worker": 1},
    {"at_s": 40, "do": "restart_worker", "worker": 1}
  ]
})json"},
    {"stream-window-exactly-once", R"json({
  "kind": "stream",
  "name": "stream-window-exactly-once",
  "title": "Windowed count with exactly-once checkpoints",
  "description": "Every 4 s the counts and the input positions are checkpointed together and the output since the last checkpoint is committed. After the crash the survivors restore the checkpoint and replay the input since then: every window comes out as if nothing had happened, a little later.",
  "seed": 7,
  "duration_s": 60,
  "source": {"rate_per_s": 200, "keys": 24, "value_max": 100},
  "partitions": 6,
  "workers": 3,
  "processing": {"event_ms": {"dist": "constant", "mean": 2}, "failover_s": 2},
  "pipeline": [{"op": "window_count", "window_s": 5}],
  "checkpoint": {"mode": "exactly_once", "interval_s": 4, "pause_ms": 2, "entry_us": 1},
  "timeline": [
    {"at_s": 22.5, "do": "kill_worker", "worker": 1},
    {"at_s": 40, "do": "restart_worker", "worker": 1}
  ]
})json"},
    {"stream-window-at-least-once", R"json({
  "kind": "stream",
  "name": "stream-window-at-least-once",
  "title": "Windowed count with at-least-once checkpoints: replayed events count twice",
  "description": "The counts survive the crash, but the input position is only saved every 4 s. The survivors replay the input since the last checkpoint into counts that already include it: the affected windows come out too high by the replayed events.",
  "seed": 7,
  "duration_s": 60,
  "source": {"rate_per_s": 200, "keys": 24, "value_max": 100},
  "partitions": 6,
  "workers": 3,
  "processing": {"event_ms": {"dist": "constant", "mean": 2}, "failover_s": 2},
  "pipeline": [{"op": "window_count", "window_s": 5}],
  "checkpoint": {"mode": "at_least_once", "interval_s": 4, "pause_ms": 2, "entry_us": 1},
  "timeline": [
    {"at_s": 22.5, "do": "kill_worker", "worker": 1},
    {"at_s": 40, "do": "restart_worker", "worker": 1}
  ]
})json"},
};

}  // namespace

const std::vector<std::string>& streamScenarioNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const Entry& e : kEntries) v.push_back(e.name);
    return v;
  }();
  return names;
}

std::string streamScenarioText(const std::string& name) {
  for (const Entry& e : kEntries)
    if (name == e.name) return e.text;
  return std::string();
}

}  // namespace sl
