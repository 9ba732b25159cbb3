#include "stream_simulation.h"

#include <algorithm>

#include "cost_model.h"
#include "stream_cost.h"
#include "stream_engine.h"
#include "stream_results.h"

namespace sl {

StreamWindowId decodeStreamWindow(uint64_t id) {
  return {static_cast<int>(id >> 60), static_cast<uint32_t>(id & 0xffffffffu),
          static_cast<uint32_t>((id & kStreamStateKeyMask) >> 32)};
}

StreamSimulation::StreamSimulation(const StreamScenario& scenario)
    : scenario_(scenario), main_(new StreamEngine(scenario)) {}

StreamSimulation::~StreamSimulation() = default;

void StreamSimulation::setTrace(bool on, size_t limit) {
  trace_on_ = on;
  trace_.limit = limit;
  trace_.clear();
  main_->trace = on ? &trace_ : nullptr;
}

int64_t StreamSimulation::nowUs() const { return main_->now; }
int64_t StreamSimulation::endUs() const { return main_->end_us; }

void StreamSimulation::forkReference() {
  reference_.reset(new StreamEngine(*main_));
  reference_->reference = true;
  reference_->trace = nullptr;
  main_->hold_before_crash = false;
}

void StreamSimulation::advance(int64_t t_us) {
  for (;;) {
    main_->runUntil(t_us);
    if (!main_->held) break;
    forkReference();
  }
  if (reference_) reference_->runUntil(t_us);
}

void StreamSimulation::runUntil(int64_t t_us) {
  trace_.clear();
  advance(t_us);
}

void StreamSimulation::step(double dt_s) {
  if (!(dt_s > 0)) {
    trace_.clear();
    return;
  }
  const double dt_us = std::min(dt_s * 1e6, 9.0e15);
  runUntil(nowUs() + static_cast<int64_t>(std::llround(dt_us)));
}

InputError StreamSimulation::apply(const StreamAction& action) {
  if (action.worker < 0 || action.worker >= scenario_.workers) {
    return {"$.worker", "no such worker (workers are numbered 0.." + std::to_string(scenario_.workers - 1) + ")",
            std::to_string(action.worker)};
  }
  const bool alive = main_->workers[static_cast<size_t>(action.worker)].alive;
  if (action.kind == StreamActionKind::KillWorker && !alive)
    return {"$.worker", "worker " + std::to_string(action.worker) + " is already down", std::to_string(action.worker)};
  if (action.kind == StreamActionKind::RestartWorker && alive)
    return {"$.worker", "worker " + std::to_string(action.worker) + " is already running",
            std::to_string(action.worker)};
  if (finished()) return {"$", "the run has ended", ""};
  if (InputError e = liveActionBudget(action); !e.empty()) return e;
  if (action.kind == StreamActionKind::KillWorker && main_->hold_before_crash) forkReference();
  StreamAction a = action;
  a.at_us = nowUs();
  main_->doAction(a);
  live_actions_.push_back(a);
  return {};
}

// Live actions get the same bound as the scenario's own timeline: each crash replays the
// events since a commit, so crashes are counted against StreamLimits::kMaxWork, and a seek
// replays every live action, so their number is capped as in the cluster model.
InputError StreamSimulation::liveActionBudget(const StreamAction& action) const {
  if (live_actions_.size() >= static_cast<size_t>(CostLimits::kMaxLiveActions)) {
    return {"$", "too many live actions in one run (the limit is " + std::to_string(CostLimits::kMaxLiveActions) + ")",
            std::to_string(live_actions_.size())};
  }
  if (action.kind != StreamActionKind::KillWorker) return {};
  double crashes = 1;
  for (const StreamAction& a : live_actions_) crashes += a.kind == StreamActionKind::KillWorker ? 1 : 0;
  const double work = streamCost(scenario_).total() + crashes * streamCrashWork(scenario_);
  if (!(work > StreamLimits::kMaxWork)) return {};
  return {"$.do",
          "one more crash would bring the run to about " + std::to_string(static_cast<long long>(work)) +
              " steps of work (each crash replays the events since the last commit); the limit is " +
              std::to_string(static_cast<long long>(StreamLimits::kMaxWork)),
          "\"kill_worker\""};
}

InputError StreamSimulation::applyJson(const std::string& json) {
  nlohmann::json doc;
  InputError err;
  if (!parseJsonText(json, doc, err)) return err;
  if (doc.is_object() && !doc.contains("at_s")) doc["at_s"] = 0;
  JsonReader r(&doc, "$", &err);
  const StreamAction a = streamActionFromJson(r, scenario_.duration_s, scenario_.workers);
  if (!err.empty()) return err;
  return apply(a);
}

void StreamSimulation::seek(int64_t t_us) {
  std::vector<StreamAction> keep;
  for (const StreamAction& a : live_actions_)
    if (a.at_us <= t_us) keep.push_back(a);  // the seek rule of both models: see the header
  main_.reset(new StreamEngine(scenario_));
  reference_.reset();
  live_actions_.clear();
  for (const StreamAction& a : keep) {
    advance(a.at_us);
    apply(a);
  }
  advance(t_us);
  setTrace(trace_on_, trace_.limit);
}

int StreamSimulation::workerCount() const { return static_cast<int>(main_->workers.size()); }
int StreamSimulation::partitionCount() const { return static_cast<int>(main_->parts.size()); }

StreamWorkerView StreamSimulation::worker(int id) const {
  StreamWorkerView v;
  if (id < 0 || id >= workerCount()) return v;
  const StreamEngine::Worker& k = main_->workers[static_cast<size_t>(id)];
  v.id = id;
  v.alive = k.alive;
  v.busy = k.busy;
  v.paused = k.paused;
  v.partitions = k.owned;
  v.state_entries = main_->workerEntries(id);
  v.processed = k.processed;
  return v;
}

StreamPartitionView StreamSimulation::partition(int id) const {
  StreamPartitionView v;
  if (id < 0 || id >= partitionCount()) return v;
  const StreamEngine::Partition& p = main_->parts[static_cast<size_t>(id)];
  v.id = id;
  v.owner = p.owner;
  v.home = p.home;
  v.log_end = p.end();
  v.position = p.next;
  v.checkpoint = p.ckpt;
  v.backlog = p.end() - p.next;
  v.state_entries = main_->stateEntries(p);
  return v;
}

std::vector<StreamWindowId> StreamSimulation::lostWindows() const {
  std::vector<StreamWindowId> out;
  for (uint64_t id : main_->lost) out.push_back(decodeStreamWindow(id));
  std::sort(out.begin(), out.end());
  return out;
}

nlohmann::json StreamSimulation::results() const {
  return streamResults(*main_, reference_ ? *reference_ : *main_);
}

bool isStreamScenario(const nlohmann::json& doc) {
  if (!doc.is_object()) return false;
  auto it = doc.find("kind");
  return it != doc.end() && it->is_string() && it->get_ref<const std::string&>() == "stream";
}

nlohmann::json runStreamScenario(const nlohmann::json& doc, uint64_t* seed_override, InputError& err) {
  StreamScenario s = streamScenarioFromJson(doc, err);
  if (!err.empty()) return nullptr;
  if (seed_override) s.seed = *seed_override;
  StreamSimulation sim(s);
  sim.run();
  return sim.results();
}

}  // namespace sl
