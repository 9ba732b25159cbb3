#include "stream_scenario.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "stream_cost.h"
#include "timeline_order.h"
#include "vocabulary.h"

namespace sl {

namespace {

std::string indexPath(const char* array, size_t i) {
  return std::string("$.") + array + "[" + std::to_string(i) + "]";
}

// Like the cluster model's service_ms, except that a mean of 0 (instantaneous) is allowed.
DistributionDef readEventDist(JsonReader& parent, const char* key, const DistributionDef& def) {
  DistributionDef d = def;
  if (!parent.has(key)) return d;
  JsonReader r = parent.object(key);
  r.allowOnly({"dist", "mean", "sigma"});
  if (r.ok() && !r.has("mean")) r.failHere("missing field \"mean\" (milliseconds)");
  d.kind = static_cast<DistKind>(r.choice("dist", static_cast<int>(def.kind), kDistNames));
  d.mean_ms = r.number("mean", def.mean_ms, 0.0, StreamLimits::kMaxEventMs);
  d.sigma = r.number("sigma", def.sigma, 0.0, 4.0);
  if (r.ok() && d.kind == DistKind::Lognormal && !(d.mean_ms > 0))
    r.fail("mean", "must be greater than 0 for a lognormal distribution");
  return d;
}

StreamOperatorDef readOperator(JsonReader& r, double duration_s) {
  StreamOperatorDef op;
  if (!r.value()->is_object()) {
    r.failHere("must be an object like {\"op\": \"window_count\", \"window_s\": 10}", r.value());
    return op;
  }
  if (r.ok() && !r.has("op")) r.failHere("missing field \"op\" (one of " + nameList(kStreamOpNames) + ")");
  op.kind = static_cast<StreamOpKind>(r.choice("op", 0, kStreamOpNames));
  if (!r.ok()) return op;
  auto need = [&](const char* key, const char* what) {
    if (r.ok() && !r.has(key)) r.failHere(std::string("missing field \"") + key + "\" (" + what + ")");
  };
  switch (op.kind) {
    case StreamOpKind::Filter:
      r.allowOnly({"op", "field", "min"});
      need("min", "events whose field is at least this pass");
      op.field = static_cast<StreamField>(r.choice("field", 0, kStreamFieldNames));
      op.min = r.number("min", 0.0, -StreamLimits::kMaxAbsValue, StreamLimits::kMaxAbsValue);
      break;
    case StreamOpKind::Map:
      r.allowOnly({"op", "scale"});
      need("scale", "value multiplier");
      op.scale = r.number("scale", 1.0, -StreamLimits::kMaxScale, StreamLimits::kMaxScale);
      break;
    case StreamOpKind::Route:
      r.allowOnly({"op", "outputs", "by"});
      op.outputs = static_cast<int>(r.integer("outputs", 2, 1, StreamLimits::kMaxOutputs));
      op.field = static_cast<StreamField>(r.choice("by", static_cast<int>(StreamField::Key), kStreamFieldNames));
      break;
    case StreamOpKind::WindowCount:
    case StreamOpKind::WindowSum:
      r.allowOnly({"op", "window_s"});
      need("window_s", "window width in seconds");
      op.window_s = r.number("window_s", op.window_s, 0.0, StreamLimits::kMaxDurationS, true);
      if (r.ok() && op.window_s < StreamLimits::kMinWindowS) r.fail("window_s", "must be at least 0.01");
      if (r.ok() && duration_s / op.window_s > StreamLimits::kMaxWindows)
        r.fail("window_s", "gives more than 100000 windows in duration_s; use wider windows");
      break;
  }
  return op;
}

}  // namespace

const char* streamOpName(StreamOpKind k) { return nameIn(kStreamOpNames, k); }
const char* streamFieldName(StreamField f) { return nameIn(kStreamFieldNames, f); }
const char* checkpointModeName(CheckpointMode m) { return nameIn(kCheckpointModeNames, m); }
const char* streamActionName(StreamActionKind k) { return nameIn(kStreamActionNames, k); }

StreamAction streamActionFromJson(JsonReader& r, double duration_s, int workers) {
  StreamAction a;
  if (!r.value()->is_object()) {
    r.failHere("must be an object like {\"at_s\": 10, \"do\": \"kill_worker\", \"worker\": 0}", r.value());
    return a;
  }
  r.allowOnly({"at_s", "do", "worker", "note"});
  if (r.ok() && !r.has("do")) r.failHere(std::string("missing field \"do\" (") + kStreamActionNames[0] + " or " + kStreamActionNames[1] + ")");
  if (r.ok() && !r.has("worker")) r.failHere("missing field \"worker\" (which worker)");
  const double at = r.number("at_s", 0.0, 0.0, duration_s);
  a.at_us = static_cast<int64_t>(std::llround(at * 1e6));
  a.kind = static_cast<StreamActionKind>(r.choice("do", 0, kStreamActionNames));
  r.text("note", "", 400);
  const nlohmann::json* w = r.field("worker");
  if (r.ok() && w && w->is_number_integer() && w->get<int64_t>() >= workers && w->get<int64_t>() >= 0) {
    r.fail("worker", "no such worker (workers are numbered 0.." + std::to_string(workers - 1) + ")");
  }
  a.worker = static_cast<int>(r.integer("worker", 0, 0, workers - 1));
  return a;
}

namespace {

// One reader per section of a stream scenario, in the order streamScenarioFromJson reads them
// (the first error found is the one reported).

void readStreamRunFields(JsonReader& root, StreamScenario& s) {
  if (root.ok() && !root.has("kind")) root.failHere("missing field \"kind\" (\"stream\" for the stream model)");
  root.choice("kind", 0, {"stream"});
  s.name = root.text("name", "", 200);
  s.title = root.text("title", "", 200);
  root.text("description", "", 4000);
  s.seed = static_cast<uint64_t>(root.integer("seed", 1, 0, (int64_t{1} << 53) - 1));
  s.duration_s = root.number("duration_s", s.duration_s, 0.0, StreamLimits::kMaxDurationS, true);
  s.series_interval_s = root.number("series_interval_s", 1.0, 0.001, StreamLimits::kMaxDurationS);
  if (root.ok() && s.duration_s / s.series_interval_s > StreamLimits::kMaxSeriesPoints)
    root.fail("series_interval_s", "gives more than 100000 series points; use a wider interval");
}

void readStreamSource(JsonReader& root, StreamScenario& s) {
  JsonReader source = root.object("source");
  source.allowOnly({"rate_per_s", "keys", "key_skew", "value_max"});
  s.source.rate_per_s = source.number("rate_per_s", s.source.rate_per_s, 0.0, StreamLimits::kMaxRate);
  s.source.keys = source.integer("keys", s.source.keys, 1, StreamLimits::kMaxKeys);
  s.source.key_skew = source.number("key_skew", 0.0, 0.0, 3.0);
  s.source.value_max = source.integer("value_max", s.source.value_max, 0, StreamLimits::kMaxValue);
  if (source.ok() && s.source.rate_per_s * s.duration_s > StreamLimits::kMaxExpectedEvents) {
    source.fail("rate_per_s", "with duration_s this means about " +
                                  std::to_string(static_cast<long long>(s.source.rate_per_s * s.duration_s)) +
                                  " events; the limit is 2000000");
  }
}

void readStreamPipeline(JsonReader& root, StreamScenario& s, InputError& err) {
  if (!root.ok() || !root.has("pipeline")) return;
  const nlohmann::json& pl = *root.field("pipeline");
  if (!pl.is_array()) {
    root.fail("pipeline", "must be an array of operators");
    return;
  }
  if (pl.size() > static_cast<size_t>(StreamLimits::kMaxOperators)) {
    root.fail("pipeline", "has more than 16 operators");
    return;
  }
  int stateful = 0;
  double results = 0;
  const double events = s.source.rate_per_s * s.duration_s;
  for (size_t i = 0; i < pl.size() && err.empty(); ++i) {
    JsonReader opr(&pl[i], indexPath("pipeline", i), &err);
    StreamOperatorDef op = readOperator(opr, s.duration_s);
    if (err.empty() && op.stateful() && ++stateful > StreamLimits::kMaxStatefulOperators)
      opr.failHere("is a fifth stateful operator; at most 4 are allowed", &pl[i]);
    if (err.empty() && op.stateful()) {
      const double windows = std::ceil(s.duration_s / op.window_s);
      results += std::min(static_cast<double>(s.source.keys) * windows, events);
      if (results > StreamLimits::kMaxWindowResults)
        opr.fail("window_s", "with source.keys, source.rate_per_s and duration_s this means up to " +
                                 std::to_string(static_cast<long long>(results)) +
                                 " window results; the limit is 1000000");
    }
    s.pipeline.push_back(op);
  }
}

void readStreamCheckpointSink(JsonReader& root, StreamScenario& s) {
  if (root.ok() && root.has("checkpoint") && !root.field("checkpoint")->is_null()) {
    JsonReader cp = root.object("checkpoint");
    cp.allowOnly({"mode", "interval_s", "pause_ms", "entry_us"});
    if (cp.ok() && !cp.has("mode")) cp.failHere("missing field \"mode\" (none, exactly_once or at_least_once)");
    s.checkpoint.mode = static_cast<CheckpointMode>(cp.choice("mode", 0, kCheckpointModeNames));
    s.checkpoint.interval_s = cp.number("interval_s", s.checkpoint.interval_s, 0.0, StreamLimits::kMaxDurationS, true);
    if (cp.ok() && s.checkpoint.interval_s < StreamLimits::kMinCheckpointS) cp.fail("interval_s", "must be at least 0.1");
    if (cp.ok() && s.duration_s / s.checkpoint.interval_s > StreamLimits::kMaxCheckpoints)
      cp.fail("interval_s", "gives more than 100000 checkpoints in duration_s");
    s.checkpoint.pause_ms = cp.number("pause_ms", s.checkpoint.pause_ms, 0.0, 10000.0);
    s.checkpoint.entry_us = cp.number("entry_us", s.checkpoint.entry_us, 0.0, 1000.0);
  }
  if (root.ok() && root.has("sink")) {
    JsonReader sink = root.object("sink");
    sink.allowOnly({"idempotent"});
    s.sink.idempotent = sink.boolean("idempotent", false);
  }
}

void readStreamTimeline(JsonReader& root, StreamScenario& s, InputError& err) {
  if (!root.ok() || !root.has("timeline")) return;
  const nlohmann::json& tl = *root.field("timeline");
  if (!tl.is_array()) {
    root.fail("timeline", "must be an array of actions");
  } else if (tl.size() > static_cast<size_t>(StreamLimits::kMaxTimeline)) {
    root.fail("timeline", "has more than 1000 actions");
  } else {
    for (size_t i = 0; i < tl.size() && err.empty(); ++i) {
      JsonReader ar(&tl[i], indexPath("timeline", i), &err);
      s.timeline.push_back(streamActionFromJson(ar, s.duration_s, s.workers));
    }
  }
}

/// A worker can only crash while running and only restart while down; refusing the
/// contradiction here keeps every recorded action meaningful. `order` is the timeline in time
/// order. Empty when all is well.
InputError checkWorkerStates(const StreamScenario& s, const std::vector<size_t>& order) {
  std::vector<uint8_t> alive(static_cast<size_t>(s.workers), 1);
  for (size_t i : order) {
    const StreamAction& a = s.timeline[i];
    uint8_t& up = alive[static_cast<size_t>(a.worker)];
    const bool kill = a.kind == StreamActionKind::KillWorker;
    if (kill != (up != 0))
      return {indexPath("timeline", i) + ".worker",
              "worker " + std::to_string(a.worker) +
                  (kill ? " is already down at that time" : " is already running at that time"),
              std::to_string(a.worker)};
    up = kill ? 0 : 1;
  }
  return {};
}

}  // namespace

StreamScenario streamScenarioFromJson(const nlohmann::json& doc, InputError& err) {
  StreamScenario s;
  err = {};
  JsonReader root(&doc, "$", &err);
  if (!doc.is_object()) {
    root.failHere("a scenario must be a JSON object", &doc);
    return s;
  }
  root.allowOnly({"kind", "name", "title", "description", "seed", "duration_s", "series_interval_s",
                  "source", "partitions", "workers", "processing", "pipeline", "checkpoint", "sink", "timeline"});
  readStreamRunFields(root, s);
  readStreamSource(root, s);
  s.partitions = static_cast<int>(root.integer("partitions", s.partitions, 1, StreamLimits::kMaxPartitions));
  s.workers = static_cast<int>(root.integer("workers", s.workers, 1, StreamLimits::kMaxWorkers));
  JsonReader processing = root.object("processing");
  processing.allowOnly({"event_ms", "failover_s"});
  s.processing.event = readEventDist(processing, "event_ms", s.processing.event);
  s.processing.failover_s = processing.number("failover_s", s.processing.failover_s, 0.0,
                                              StreamLimits::kMaxFailoverS);
  readStreamPipeline(root, s, err);
  readStreamCheckpointSink(root, s);
  readStreamTimeline(root, s, err);
  if (!err.empty()) return s;
  const std::vector<size_t> order = timelineOrder(s.timeline);
  err = checkWorkerStates(s, order);
  if (!err.empty()) return s;
  s.timeline = inOrder(s.timeline, order);
  std::string path;
  const std::string problem = streamCostProblem(s, path);
  if (!problem.empty()) err = {path, problem, ""};
  return s;
}

StreamScenario parseStreamScenario(const std::string& text, InputError& err) {
  return parseDocument(text, err, streamScenarioFromJson);
}

nlohmann::json streamActionToJson(const StreamAction& a) {
  return {{"at_s", static_cast<double>(a.at_us) / 1e6}, {"do", streamActionName(a.kind)}, {"worker", a.worker}};
}

nlohmann::json streamScenarioToJson(const StreamScenario& s) {
  nlohmann::json pipeline = nlohmann::json::array();
  for (const StreamOperatorDef& op : s.pipeline) {
    nlohmann::json j = {{"op", streamOpName(op.kind)}};
    switch (op.kind) {
      case StreamOpKind::Filter: j["field"] = streamFieldName(op.field); j["min"] = op.min; break;
      case StreamOpKind::Map: j["scale"] = op.scale; break;
      case StreamOpKind::Route: j["outputs"] = op.outputs; j["by"] = streamFieldName(op.field); break;
      default: j["window_s"] = op.window_s; break;
    }
    pipeline.push_back(j);
  }
  nlohmann::json tl = nlohmann::json::array();
  for (const StreamAction& a : s.timeline) tl.push_back(streamActionToJson(a));
  // Field by field rather than as nested initializer lists, whose construction code is several
  // times larger in the WebAssembly module; the keys come out sorted either way.
  nlohmann::json j = nlohmann::json::object();
  j["kind"] = "stream";
  j["seed"] = s.seed;
  j["duration_s"] = s.duration_s;
  j["series_interval_s"] = s.series_interval_s;
  nlohmann::json& source = j["source"];
  source["rate_per_s"] = s.source.rate_per_s;
  source["keys"] = s.source.keys;
  source["key_skew"] = s.source.key_skew;
  source["value_max"] = s.source.value_max;
  j["partitions"] = s.partitions;
  j["workers"] = s.workers;
  nlohmann::json& event = j["processing"]["event_ms"];
  event["dist"] = distName(s.processing.event.kind);
  event["mean"] = s.processing.event.mean_ms;
  if (s.processing.event.kind == DistKind::Lognormal) event["sigma"] = s.processing.event.sigma;
  j["processing"]["failover_s"] = s.processing.failover_s;
  j["pipeline"] = std::move(pipeline);
  nlohmann::json& checkpoint = j["checkpoint"];
  checkpoint["mode"] = checkpointModeName(s.checkpoint.mode);
  checkpoint["interval_s"] = s.checkpoint.interval_s;
  checkpoint["pause_ms"] = s.checkpoint.pause_ms;
  checkpoint["entry_us"] = s.checkpoint.entry_us;
  j["sink"]["idempotent"] = s.sink.idempotent;
  j["timeline"] = std::move(tl);
  if (!s.name.empty()) j["name"] = s.name;
  if (!s.title.empty()) j["title"] = s.title;
  return j;
}

}  // namespace sl
