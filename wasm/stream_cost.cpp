#include "stream_cost.h"

#include <algorithm>
#include <cmath>

namespace sl {

StreamCost streamCost(const StreamScenario& s) {
  StreamCost c;
  const double ops = static_cast<double>(s.pipeline.size());
  const double parts = s.partitions, workers = s.workers;
  c.events = s.source.rate_per_s * s.duration_s;
  c.event_work = c.events * (1 + ops + parts);
  double stateful = 0, boundaries = 0;
  for (const StreamOperatorDef& op : s.pipeline) {
    if (!op.stateful()) continue;
    stateful += 1;
    boundaries += std::ceil(s.duration_s / op.window_s);
    // A window closes once an event past it arrives: at most two windows per key are open.
    c.state_entries += std::min(2.0 * static_cast<double>(s.source.keys), c.events);
  }
  c.checkpoints = std::floor(s.duration_s / s.checkpoint.interval_s);
  // Each event changes one entry per window operator, and each entry is removed once.
  const double changes = s.checkpoint.mode == CheckpointMode::None ? 0.0 : 2.0 * c.events * stateful;
  c.checkpoint_work = c.checkpoints * (parts + workers) + std::min(c.checkpoints * c.state_entries, changes);
  c.window_work = boundaries * parts * std::max(1.0, stateful);
  double kills = 0;
  for (const StreamAction& a : s.timeline) kills += a.kind == StreamActionKind::KillWorker ? 1 : 0;
  c.replay_work = kills * streamCrashWork(s);
  c.series_work = std::floor(s.duration_s / s.series_interval_s) * (workers + 8);
  return c;
}

double streamCrashWork(const StreamScenario& s) {
  const double events = s.source.rate_per_s * s.duration_s;
  const double since_commit = std::min(events, s.source.rate_per_s * s.checkpoint.interval_s);
  return since_commit * (1 + static_cast<double>(s.pipeline.size()) + s.partitions);
}

std::string streamCostProblem(const StreamScenario& s, std::string& path) {
  const StreamCost c = streamCost(s);
  if (!(c.total() > StreamLimits::kMaxWork)) return std::string();
  struct Part {
    double work;
    const char* path;
    const char* what;
  };
  const Part parts[] = {
      {c.event_work, "$.source.rate_per_s", "events through the pipeline"},
      {c.checkpoint_work, "$.checkpoint.interval_s", "checkpoints"},
      {c.window_work, "$.pipeline", "window boundaries"},
      {c.replay_work, "$.timeline", "replays after crashes"},
      {c.series_work, "$.series_interval_s", "series points"},
  };
  const Part* worst = &parts[0];
  for (const Part& p : parts)
    if (p.work > worst->work) worst = &p;
  path = worst->path;
  return "the run needs about " + std::to_string(static_cast<long long>(c.total())) +
         " steps of work, most of it " + worst->what + "; the limit is " +
         std::to_string(static_cast<long long>(StreamLimits::kMaxWork));
}

}  // namespace sl
