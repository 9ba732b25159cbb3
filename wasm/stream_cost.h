#pragma once
#include <string>

#include "stream_scenario.h"

namespace sl {

/// Work a stream scenario asks for, estimated from the scenario alone, in elementary steps
/// (an event through one operator, a look at one partition, one state entry written ...).
/// Validation refuses a scenario whose total exceeds StreamLimits::kMaxWork, so every accepted
/// run ends in bounded time.
struct StreamCost {
  double events = 0;           ///< expected events: rate_per_s * duration_s
  double event_work = 0;       ///< events * (operators + partitions a worker looks at)
  double state_entries = 0;    ///< state entries held at once, at most (all window operators)
  double checkpoints = 0;      ///< commits in duration_s
  /// per commit a look at every partition and worker, plus the state entries written: never
  /// more than checkpoints * state_entries, nor than the changes the events make
  double checkpoint_work = 0;
  double window_work = 0;      ///< window boundaries * partitions * window operators
  double replay_work = 0;      ///< crashes * events since a commit * (operators + partitions)
  double series_work = 0;      ///< series points * workers
  double total() const { return event_work + checkpoint_work + window_work + replay_work + series_work; }
};

StreamCost streamCost(const StreamScenario& s);

/// Replay work one more worker crash can add (the events since a commit through the pipeline):
/// a live crash is refused when the scenario's cost plus this for every live crash so far would
/// pass StreamLimits::kMaxWork.
double streamCrashWork(const StreamScenario& s);

/// The JSON path of the setting that drives the largest part of the cost, and a message
/// naming the estimate and the limit; empty when the scenario is within the limit.
std::string streamCostProblem(const StreamScenario& s, std::string& path);

}  // namespace sl
