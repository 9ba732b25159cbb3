#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "distribution.h"
#include "json_reader.h"

namespace sl {

/// What one pipeline operator does to each event.
enum class StreamOpKind : uint8_t {
  Filter,       ///< stateless: drops events whose field is below `min`
  Map,          ///< stateless: multiplies the value by `scale`
  Route,        ///< stateless: sends each event to one of `outputs` by a hash of a field
  WindowCount,  ///< stateful: counts events per key in tumbling windows
  WindowSum,    ///< stateful: sums values per key in tumbling windows
};

/// Which part of an event a filter or a route looks at.
enum class StreamField : uint8_t { Value, Key };

/// What is committed with the input positions at each checkpoint. In every mode positions are
/// committed only every checkpoint.interval_s and a crashed worker's partitions resume from
/// the last commit, so the events processed since then are processed and emitted again.
enum class CheckpointMode : uint8_t {
  None,         ///< positions only: state lives in worker memory and a crash loses it
  ExactlyOnce,  ///< positions, state and output in one transaction: a crash discards the rest
  AtLeastOnce,  ///< positions; state is changelogged and survives, so replayed events count again
};

/// A timeline action of the stream model.
enum class StreamActionKind : uint8_t { KillWorker, RestartWorker };

const char* streamOpName(StreamOpKind k);
const char* streamFieldName(StreamField f);
const char* checkpointModeName(CheckpointMode m);
const char* streamActionName(StreamActionKind k);

/// One operator of the pipeline; only the fields of its kind are used.
struct StreamOperatorDef {
  StreamOpKind kind = StreamOpKind::Filter;
  StreamField field = StreamField::Value;  ///< filter and route: the field looked at
  double min = 0;          ///< filter: events whose field is at least this pass
  double scale = 1;        ///< map: value multiplier (the result is rounded to a whole number)
  int outputs = 2;         ///< route: number of outputs (1..64)
  double window_s = 10;    ///< window_count / window_sum: window width, seconds

  bool stateful() const { return kind == StreamOpKind::WindowCount || kind == StreamOpKind::WindowSum; }
};

/// The event source: one keyed event stream, appended to partitioned logs.
struct StreamSourceDef {
  double rate_per_s = 100;  ///< Poisson arrival rate of events, events per second
  int64_t keys = 20;        ///< distinct keys 0..keys-1 (1..100000)
  double key_skew = 0;      ///< Zipf exponent of key popularity: 0 uniform, 1 a few hot keys
  int64_t value_max = 100;  ///< values are whole numbers drawn uniformly from 0..value_max
};

/// How workers process events.
struct StreamProcessingDef {
  /// CPU time per event on a worker, milliseconds (mean may be 0: instantaneous processing).
  DistributionDef event{DistKind::Constant, 1.0, 0.5};
  double failover_s = 2;    ///< seconds from a crash until survivors take the partitions over
};

/// Commits of input positions, and by mode of operator state and output.
struct CheckpointDef {
  CheckpointMode mode = CheckpointMode::None;
  double interval_s = 5;    ///< seconds between commits (the first one at interval_s), in every mode
  double pause_ms = 2;      ///< per commit, each live worker stops processing this long
  /// plus this many microseconds per state entry it writes: checkpoints are incremental, so
  /// only entries changed since the previous commit are written (none in mode none)
  double entry_us = 1;
};

/// Where the pipeline's event output goes.
struct StreamSinkDef {
  /// Drops an event whose id it has already received (an upsert by event id), so replayed
  /// output reaches consumers once. Window results always go to a table keyed by window.
  bool idempotent = false;
};

/// One timeline action of a stream scenario.
struct StreamAction {
  int64_t at_us = 0;        ///< when, simulated microseconds from the start
  StreamActionKind kind = StreamActionKind::KillWorker;
  int worker = 0;           ///< which worker (0..workers-1)
};

/// A whole `"kind": "stream"` scenario: the input of a StreamSimulation.
struct StreamScenario {
  std::string name;              ///< registry name or file name (informational)
  std::string title;             ///< human title (informational)
  uint64_t seed = 1;             ///< fixes every random draw (0 .. 2^53-1)
  double duration_s = 60;        ///< simulated seconds; the source stops producing then
  double series_interval_s = 1;  ///< width of one point of the per-interval series, seconds
  StreamSourceDef source;
  int partitions = 8;            ///< partitions of the input log; partition p's home is worker p % workers
  int workers = 4;               ///< workers at the start, numbered 0..workers-1
  StreamProcessingDef processing;
  std::vector<StreamOperatorDef> pipeline;  ///< applied in order to every event
  CheckpointDef checkpoint;
  StreamSinkDef sink;
  std::vector<StreamAction> timeline;       ///< sorted by time (stable)
};

/// Documented bounds that keep every stream run bounded in time and memory.
struct StreamLimits {
  static constexpr double kMaxDurationS = 100000;
  static constexpr double kMaxRate = 100000;            ///< events per second
  static constexpr double kMaxExpectedEvents = 2.0e6;   ///< rate_per_s * duration_s
  static constexpr int64_t kMaxKeys = 100000;
  static constexpr int64_t kMaxValue = 1000000000;
  static constexpr int kMaxPartitions = 64;
  static constexpr int kMaxWorkers = 32;
  static constexpr int kMaxOperators = 16;
  static constexpr int kMaxStatefulOperators = 4;
  static constexpr int kMaxOutputs = 64;
  static constexpr double kMaxScale = 1000;             ///< |map.scale|
  static constexpr double kMaxAbsValue = 1.0e12;        ///< mapped values are clamped to +-this
  static constexpr double kMinWindowS = 0.01;
  static constexpr double kMaxWindows = 100000;         ///< duration_s / window_s
  /// Window results a run may produce, estimated as the sum over window operators of
  /// min(keys * windows in duration_s, expected events): bounds the memory of results.
  static constexpr double kMaxWindowResults = 1.0e6;
  static constexpr double kMaxEventMs = 10000;
  static constexpr double kMaxFailoverS = 3600;
  static constexpr double kMinCheckpointS = 0.1;
  static constexpr double kMaxCheckpoints = 100000;     ///< duration_s / interval_s
  static constexpr int kMaxTimeline = 1000;
  static constexpr int kMaxSeriesPoints = 100000;
  /// Estimated elementary steps of a run (see StreamCost). The worst accepted scenarios
  /// measured take under 10 s of CPU natively (README, Limits).
  static constexpr double kMaxWork = 2.0e8;
};

/// Parses and validates stream scenario JSON text. On success err is empty.
StreamScenario parseStreamScenario(const std::string& text, InputError& err);
/// Validates an already parsed JSON document (which must say "kind": "stream").
StreamScenario streamScenarioFromJson(const nlohmann::json& doc, InputError& err);
/// Validates one action; r's path is used in errors. Does not check that the worker is alive.
StreamAction streamActionFromJson(JsonReader& r, double duration_s, int workers);
/// The scenario with every default filled in, as JSON (round-trips through parseStreamScenario).
nlohmann::json streamScenarioToJson(const StreamScenario& s);
nlohmann::json streamActionToJson(const StreamAction& a);

}  // namespace sl
