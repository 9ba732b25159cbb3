#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "json_reader.h"
#include "stream_scenario.h"
#include "stream_trace.h"

namespace sl {

struct StreamEngine;

/// What the front end may show of one worker right now.
struct StreamWorkerView {
  int id = 0;
  bool alive = false;
  bool busy = false;           ///< processing an event
  bool paused = false;         ///< stopped for a checkpoint
  int partitions = 0;          ///< partitions it owns
  int64_t state_entries = 0;   ///< open window entries held for its partitions
  uint64_t processed = 0;      ///< events it processed (replays included)
};

/// What the front end may show of one partition right now.
struct StreamPartitionView {
  int id = 0;
  int owner = -1;              ///< worker processing it, -1 while waiting for failover
  int home = 0;                ///< worker it belongs to when that worker is up
  uint64_t log_end = 0;        ///< events appended so far
  uint64_t position = 0;       ///< events processed so far (rewound by a replay)
  uint64_t checkpoint = 0;     ///< committed input position: a crash resumes here
  uint64_t backlog = 0;        ///< log_end - position
  int64_t state_entries = 0;   ///< open window entries
};

/// One window result: operator (pipeline index), key and window number (start = window * window_s).
struct StreamWindowId {
  int op = 0;
  uint32_t key = 0;
  uint32_t window = 0;
  bool operator==(const StreamWindowId& o) const { return op == o.op && key == o.key && window == o.window; }
  bool operator<(const StreamWindowId& o) const {
    if (op != o.op) return op < o.op;
    if (window != o.window) return window < o.window;
    return key < o.key;
  }
};

/// The stream model: a keyed source appended to partitioned logs, workers that own partitions
/// and run a pipeline of stateless and windowed stateful operators, crashes, failover,
/// checkpoints and replay. No clock and no I/O: time advances only through step()/runUntil().
/// Window results are compared with a crash-free reference run of the same seed, which is
/// forked from this run at its first crash (until then the two are the same run).
/// Input positions are committed every checkpoint.interval_s in every mode, and a crashed
/// worker's partitions resume from the last commit; the mode decides what is committed with
/// them (nothing, a state changelog, or state and output in one transaction).
class StreamSimulation {
 public:
  explicit StreamSimulation(const StreamScenario& scenario);
  ~StreamSimulation();
  StreamSimulation(const StreamSimulation&) = delete;
  StreamSimulation& operator=(const StreamSimulation&) = delete;

  /// Keep a trace of each step's events (off by default: the CLI does not need it).
  void setTrace(bool on, size_t limit = 20000);
  const StreamTrace& trace() const { return trace_; }

  /// Advances simulated time by dt seconds (not past the end). Clears the trace first.
  void step(double dt_s);
  /// Advances to simulated time t (microseconds, clamped to the end). Clears the trace first.
  void runUntil(int64_t t_us);
  /// Runs to the end.
  void run() { runUntil(endUs()); }

  int64_t nowUs() const;
  int64_t endUs() const;
  bool finished() const { return nowUs() >= endUs(); }

  /// Applies an action now (its at_us is ignored). Returns an empty error on success, or what
  /// is wrong (no such worker, already down ...). Applied actions are remembered for seek().
  InputError apply(const StreamAction& action);
  /// As apply(), from JSON text like {"do": "kill_worker", "worker": 1}.
  InputError applyJson(const std::string& json);
  /// Goes to time t: replays from the start with the same seed and the live actions applied
  /// at or before t (one applied at exactly t is kept, as in the cluster model). Live actions
  /// after t are forgotten, as on a video timeline.
  void seek(int64_t t_us);

  /// The results so far as JSON (the stream results contract in README).
  nlohmann::json results() const;

  int workerCount() const;
  StreamWorkerView worker(int id) const;
  int partitionCount() const;
  StreamPartitionView partition(int id) const;
  /// Windows whose open state a crash destroyed (checkpoint mode none), sorted.
  std::vector<StreamWindowId> lostWindows() const;
  /// True once the crash-free reference run has been forked (at the first crash).
  bool hasReference() const { return reference_ != nullptr; }
  const StreamScenario& scenario() const { return scenario_; }

 private:
  void advance(int64_t t_us);
  void forkReference();
  InputError liveActionBudget(const StreamAction& action) const;

  StreamScenario scenario_;
  std::unique_ptr<StreamEngine> main_;
  std::unique_ptr<StreamEngine> reference_;
  std::vector<StreamAction> live_actions_;
  bool trace_on_ = false;
  StreamTrace trace_;
};

/// True when doc is a JSON object whose "kind" is "stream".
bool isStreamScenario(const nlohmann::json& doc);

/// Validates a stream scenario document, runs it to the end and returns its results. With
/// seed_override the scenario's seed is replaced. On bad input err is filled and the result
/// is null.
nlohmann::json runStreamScenario(const nlohmann::json& doc, uint64_t* seed_override, InputError& err);

}  // namespace sl
