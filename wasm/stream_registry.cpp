#include "stream_registry.h"

namespace sl {

namespace {

struct Entry {
  const char* name;
  const char* text;
};

// They share seed, source, partitions, workers and the crash of worker 1 mid-window, so their
// results differ only by the pipeline, the checkpoint mode and the sink.
const Entry kEntries[] = {
    {"stream-stateless-crash", R"json({
  "kind": "stream",
  "name": "stream-stateless-crash",
  "title": "Stateless pipeline: a crash replays, and duplicates, the output since the last commit",
  "description": "Filter, map and route keep no state between events, so nothing has to be restored. But input positions are committed only every 5 s: worker 1 crashes at 22.5 s, its partitions resume on the survivors from the commit at 20 s, and the output of those 2.5 s is emitted a second time.",
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
  "checkpoint": {"mode": "none", "interval_s": 5},
  "timeline": [
    {"at_s": 22.5, "do": "kill_worker", "worker": 1},
    {"at_s": 40, "do": "restart_worker", "worker": 1}
  ]
})json"},
    {"stream-stateless-idempotent-sink", R"json({
  "kind": "stream",
  "name": "stream-stateless-idempotent-sink",
  "title": "Stateless pipeline into an idempotent sink: the replay leaves no duplicates",
  "description": "The same crash and the same replay from the commit at 20 s, but the sink keeps each event id once and drops the repeats: downstream sees exactly the output of a run without the crash.",
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
  "checkpoint": {"mode": "none", "interval_s": 5},
  "sink": {"idempotent": true},
  "timeline": [
    {"at_s": 22.5, "do": "kill_worker", "worker": 1},
    {"at_s": 40, "do": "restart_worker", "worker": 1}
  ]
})json"},
    {"stream-window-no-checkpoint", R"json({
  "kind": "stream",
  "name": "stream-window-no-checkpoint",
  "title": "Windowed count without checkpoints: open windows are lost",
  "description": "A keyed 5-second window count keeps its counts in worker memory; only input positions are committed, every 3 s. Worker 1 crashes at 22.5 s, halfway through a window: the counts of its open windows are gone. The survivors replay from the commit at 21 s, which puts back only the events since then, so those windows come out short by the events of 20 s to 21 s, and the output since the commit is emitted twice.",
  "seed": 7,
  "duration_s": 60,
  "source": {"rate_per_s": 200, "keys": 24, "value_max": 100},
  "partitions": 6,
  "workers": 3,
  "processing": {"event_ms": {"dist": "constant", "mean": 2}, "failover_s": 2},
  "pipeline": [{"op": "window_count", "window_s": 5}],
  "checkpoint": {"mode": "none", "interval_s": 3},
  "timeline": [
    {"at_s": 22.5, "do": "kill_worker", "worker": 1},
    {"at_s": 40, "do": "restart_worker", "worker": 1}
  ]
})json"},
    {"stream-window-exactly-once", R"json({
  "kind": "stream",
  "name": "stream-window-exactly-once",
  "title": "Windowed count with exactly-once checkpoints",
  "description": "Every 4 s the counts, the input positions and the output since the last checkpoint are committed in one transaction. The crash at 22.5 s aborts the uncommitted output; the survivors restore the checkpoint of 20 s and replay the input since then: every window comes out as if nothing had happened, a little later, and nothing is emitted twice.",
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
  "description": "The counts are changelogged and survive the crash, but input positions are committed only every 4 s. The survivors replay the input since the commit at 20 s into counts that already include it: the affected windows come out too high by the replayed events, and the output since the commit is emitted twice.",
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
