#include "scenario.h"

#include <algorithm>
#include <cmath>

#include "cost_model.h"
#include "timeline_order.h"
#include "vocabulary.h"

namespace sl {

namespace {

DistributionDef readDist(JsonReader& parent, const char* key, const DistributionDef& def) {
  DistributionDef d = def;
  if (!parent.has(key)) return d;
  JsonReader r = parent.object(key);
  r.allowOnly({"dist", "mean", "sigma"});
  if (r.ok() && !r.has("mean")) r.failHere("missing field \"mean\" (milliseconds)");
  d.kind = static_cast<DistKind>(r.choice("dist", static_cast<int>(def.kind), kDistNames));
  d.mean_ms = r.number("mean", def.mean_ms, 0.0, Limits::kMaxServiceMs, true);
  d.sigma = r.number("sigma", def.sigma, 0.0, 4.0);
  return d;
}

}  // namespace

const char* policyName(Policy p) { return nameIn(kPolicyNames, p); }
const char* sessionModeName(SessionMode m) { return nameIn(kSessionModeNames, m); }
const char* actionName(ActionKind a) { return nameIn(kActionNames, a); }

Action actionFromJson(JsonReader& r, double duration_s, bool live) {
  Action a;
  if (!r.value()->is_object()) {
    r.failHere("must be an object like {\"at_s\": 10, \"do\": \"kill_server\", \"server\": 0}",
               r.value());
    return a;
  }
  r.allowOnly({"at_s", "do", "server", "user", "rate", "drain", "policy", "mode", "gap_s", "note"});
  if (r.ok() && !r.has("do")) r.failHere("missing field \"do\" (the action)");
  if (r.ok() && !live && !r.has("at_s")) r.failHere("missing field \"at_s\" (seconds)");
  // A note is shown beside the action; capped as the stream model caps it.
  r.text("note", "", 400);
  const double at = r.number("at_s", 0.0, 0.0, duration_s);
  a.at_us = static_cast<int64_t>(std::llround(at * 1e6));
  a.kind = static_cast<ActionKind>(r.choice("do", 0, kActionNames));
  auto need = [&](const char* key, const char* what) {
    if (r.ok() && !r.has(key)) r.failHere(std::string("missing field \"") + key + "\" (" + what + ")");
  };
  switch (a.kind) {
    case ActionKind::KillServer:
    case ActionKind::RestartServer:
    case ActionKind::RemoveServer:
      need("server", "which server");
      a.server = static_cast<int>(r.integer("server", 0, 0, Limits::kMaxServers - 1));
      a.drain = r.boolean("drain", true);
      break;
    case ActionKind::RevokeUser:
      need("user", "which user");
      a.user = r.integer("user", 0, 0, Limits::kMaxUsers - 1);
      break;
    case ActionKind::SetRate:
      need("rate", "requests per second");
      a.rate = r.number("rate", 0.0, 0.0, Limits::kMaxRate);
      break;
    case ActionKind::SetPolicy:
      need("policy", "balancer policy");
      a.policy = static_cast<Policy>(r.choice("policy", 0, kPolicyNames));
      break;
    case ActionKind::RollingRestart:
      a.gap_s = r.number("gap_s", 10.0, 0.0, 3600.0, true);
      break;
    case ActionKind::SetSessionMode:
      need("mode", "session mode");
      a.mode = static_cast<SessionMode>(r.choice("mode", 0, kSessionModeNames));
      break;
    default:
      break;
  }
  return a;
}

namespace {

// One reader per section of a cluster scenario, in the order scenarioFromJson reads them (the
// first error found is the one reported).

void readRunFields(JsonReader& root, Scenario& s) {
  if (root.has("kind")) root.choice("kind", 0, {"cluster"});
  s.name = root.text("name", "", 200);
  s.title = root.text("title", "", 200);
  root.text("description", "", 4000);
  s.seed = static_cast<uint64_t>(root.integer("seed", 1, 0, (int64_t{1} << 53) - 1));
  s.duration_s = root.number("duration_s", s.duration_s, 0.0, Limits::kMaxDurationS, true);
  s.warmup_s = root.number("warmup_s", 0.0, 0.0, Limits::kMaxDurationS);
  if (root.ok() && s.warmup_s >= s.duration_s) root.fail("warmup_s", "must be less than duration_s");
  s.series_interval_s = root.number("series_interval_s", 1.0, 0.001, Limits::kMaxDurationS);
  if (root.ok() && s.duration_s / s.series_interval_s > Limits::kMaxSeriesPoints)
    root.fail("series_interval_s", "gives more than 100000 series points; use a wider interval");
}

void readTraffic(JsonReader& root, Scenario& s) {
  JsonReader traffic = root.object("traffic");
  traffic.allowOnly({"users", "rate_per_s", "user_skew"});
  s.traffic.users = traffic.integer("users", s.traffic.users, 1, Limits::kMaxUsers);
  s.traffic.rate_per_s = traffic.number("rate_per_s", s.traffic.rate_per_s, 0.0, Limits::kMaxRate);
  s.traffic.user_skew = traffic.number("user_skew", 0.0, 0.0, 3.0);

  JsonReader balancer = root.object("balancer");
  balancer.allowOnly({"policy"});
  s.policy = static_cast<Policy>(balancer.choice("policy", static_cast<int>(s.policy), kPolicyNames));
}

void readServers(JsonReader& root, Scenario& s) {
  JsonReader servers = root.object("servers");
  servers.allowOnly({"count", "workers", "queue_limit", "service_ms", "startup_s"});
  s.servers.count = static_cast<int>(servers.integer("count", s.servers.count, 1, Limits::kMaxServers));
  s.servers.workers = static_cast<int>(servers.integer("workers", 1, 1, Limits::kMaxWorkers));
  s.servers.queue_limit = static_cast<int>(servers.integer("queue_limit", 1000, 0, Limits::kMaxQueue));
  s.servers.service = readDist(servers, "service_ms", s.servers.service);
  s.servers.startup_s = servers.number("startup_s", 0.0, 0.0, 3600.0);
}

void readSessionStoreToken(JsonReader& root, Scenario& s) {
  JsonReader session = root.object("session");
  session.allowOnly({"mode", "cookie_bytes", "data_bytes"});
  s.session.mode = static_cast<SessionMode>(session.choice("mode", 0, kSessionModeNames));
  s.session.cookie_bytes = static_cast<int>(session.integer("cookie_bytes", 32, 0, 1 << 20));
  s.session.data_bytes = static_cast<int>(session.integer("data_bytes", 1024, 0, 1 << 24));

  JsonReader store = root.object("store");
  store.allowOnly({"latency_ms", "workers", "queue_limit", "service_ms", "persistent"});
  s.store.latency_ms = store.number("latency_ms", s.store.latency_ms, 0.0, 10000.0);
  s.store.workers = static_cast<int>(store.integer("workers", s.store.workers, 1, Limits::kMaxWorkers));
  s.store.queue_limit = static_cast<int>(store.integer("queue_limit", s.store.queue_limit, 0, Limits::kMaxQueue));
  s.store.service = readDist(store, "service_ms", s.store.service);
  s.store.persistent = store.boolean("persistent", true);

  JsonReader token = root.object("token");
  token.allowOnly({"verify_ms", "bytes", "ttl_s", "deny_list"});
  s.token.verify_ms = token.number("verify_ms", s.token.verify_ms, 0.0, 10000.0);
  s.token.bytes = static_cast<int>(token.integer("bytes", s.token.bytes, 0, 1 << 20));
  s.token.ttl_s = token.number("ttl_s", s.token.ttl_s, 0.0, 1.0e9, true);
  s.token.deny_list = token.boolean("deny_list", false);
}

void readNetworkAutoscaler(JsonReader& root, Scenario& s) {
  JsonReader network = root.object("network");
  network.allowOnly({"hop_ms", "request_bytes"});
  s.network.hop_ms = network.number("hop_ms", 0.0, 0.0, 10000.0);
  s.network.request_bytes = static_cast<int>(network.integer("request_bytes", 400, 0, 1 << 24));

  JsonReader as = root.object("autoscaler");
  as.allowOnly({"enabled", "target_utilization", "min", "max", "interval_s", "cooldown_s"});
  s.autoscaler.enabled = as.boolean("enabled", false);
  s.autoscaler.target_utilization = as.number("target_utilization", 0.6, 0.0, 1.0, true);
  s.autoscaler.min = static_cast<int>(as.integer("min", 1, 1, Limits::kMaxServers));
  s.autoscaler.max = static_cast<int>(as.integer("max", 16, 1, Limits::kMaxServers));
  s.autoscaler.interval_s = as.number("interval_s", 5.0, 0.1, 3600.0);
  s.autoscaler.cooldown_s = as.number("cooldown_s", 30.0, 0.0, 86400.0);
  if (as.ok() && s.autoscaler.min > s.autoscaler.max) as.fail("min", "must not exceed max");
}

void readTimeline(JsonReader& root, Scenario& s, InputError& err) {
  if (!root.ok() || !root.has("timeline")) return;
  const nlohmann::json& tl = *root.field("timeline");
  if (!tl.is_array()) {
    root.fail("timeline", "must be an array of actions");
  } else if (tl.size() > static_cast<size_t>(Limits::kMaxTimeline)) {
    root.fail("timeline", "has more than 10000 actions");
  } else {
    for (size_t i = 0; i < tl.size() && err.empty(); ++i) {
      JsonReader ar(&tl[i], "$.timeline[" + std::to_string(i) + "]", &err);
      Action a = actionFromJson(ar, s.duration_s);
      s.timeline.push_back(a);
    }
  }
}

/// Servers named by timeline actions must exist at that moment, users must exist. `order` is
/// the timeline in time order. Empty when all is well.
InputError checkTimelineTargets(const Scenario& s, const std::vector<size_t>& order) {
  int servers_now = s.servers.count;
  for (size_t i : order) {
    const Action& a = s.timeline[i];
    const std::string path = "$.timeline[" + std::to_string(i) + "]";
    if ((a.kind == ActionKind::KillServer || a.kind == ActionKind::RestartServer ||
         a.kind == ActionKind::RemoveServer) && a.server >= servers_now)
      return {path + ".server",
              "no such server at that time (servers are numbered 0.." + std::to_string(servers_now - 1) + ")",
              std::to_string(a.server)};
    if (a.kind == ActionKind::AddServer && ++servers_now > Limits::kMaxServers)
      return {path, "adds more than 256 servers in all", ""};
    if (a.kind == ActionKind::RevokeUser && a.user >= s.traffic.users)
      return {path + ".user", "no such user (users are numbered 0.." + std::to_string(s.traffic.users - 1) + ")",
              std::to_string(a.user)};
  }
  return {};
}

}  // namespace

Scenario scenarioFromJson(const nlohmann::json& doc, InputError& err) {
  Scenario s;
  err = {};
  JsonReader root(&doc, "$", &err);
  if (!doc.is_object()) {
    root.failHere("a scenario must be a JSON object", &doc);
    return s;
  }
  root.allowOnly({"kind", "name", "title", "description", "seed", "duration_s", "warmup_s",
                  "series_interval_s", "traffic", "balancer", "servers", "session", "store",
                  "token", "network", "autoscaler", "timeline"});
  readRunFields(root, s);
  readTraffic(root, s);
  readServers(root, s);
  readSessionStoreToken(root, s);
  readNetworkAutoscaler(root, s);
  readTimeline(root, s, err);
  if (!err.empty()) return s;
  // The run must also fit the cost limits.
  const std::vector<size_t> order = timelineOrder(s.timeline);
  err = checkTimelineTargets(s, order);
  if (!err.empty()) return s;
  s.timeline = inOrder(s.timeline, order);
  err = checkScenarioCost(s);
  return s;
}

Scenario parseScenario(const std::string& text, InputError& err) {
  return parseDocument(text, err, scenarioFromJson);
}

nlohmann::json actionToJson(const Action& a) {
  nlohmann::json j = {{"at_s", static_cast<double>(a.at_us) / 1e6}, {"do", actionName(a.kind)}};
  switch (a.kind) {
    case ActionKind::KillServer:
    case ActionKind::RestartServer: j["server"] = a.server; break;
    case ActionKind::RemoveServer: j["server"] = a.server; j["drain"] = a.drain; break;
    case ActionKind::RevokeUser: j["user"] = a.user; break;
    case ActionKind::SetRate: j["rate"] = a.rate; break;
    case ActionKind::SetPolicy: j["policy"] = policyName(a.policy); break;
    case ActionKind::SetSessionMode: j["mode"] = sessionModeName(a.mode); break;
    case ActionKind::RollingRestart: j["gap_s"] = a.gap_s; break;
    default: break;
  }
  return j;
}

nlohmann::json scenarioToJson(const Scenario& s) {
  auto dist = [](const DistributionDef& d) {
    nlohmann::json j = {{"dist", distName(d.kind)}, {"mean", d.mean_ms}};
    if (d.kind == DistKind::Lognormal) j["sigma"] = d.sigma;
    return j;
  };
  nlohmann::json tl = nlohmann::json::array();
  for (const Action& a : s.timeline) tl.push_back(actionToJson(a));
  nlohmann::json j = {
      {"kind", "cluster"},
      {"seed", s.seed},
      {"duration_s", s.duration_s},
      {"warmup_s", s.warmup_s},
      {"series_interval_s", s.series_interval_s},
      {"traffic", {{"users", s.traffic.users}, {"rate_per_s", s.traffic.rate_per_s}, {"user_skew", s.traffic.user_skew}}},
      {"balancer", {{"policy", policyName(s.policy)}}},
      {"servers", {{"count", s.servers.count}, {"workers", s.servers.workers}, {"queue_limit", s.servers.queue_limit},
                   {"service_ms", dist(s.servers.service)}, {"startup_s", s.servers.startup_s}}},
      {"session", {{"mode", sessionModeName(s.session.mode)}, {"cookie_bytes", s.session.cookie_bytes},
                   {"data_bytes", s.session.data_bytes}}},
      {"store", {{"latency_ms", s.store.latency_ms}, {"workers", s.store.workers}, {"queue_limit", s.store.queue_limit},
                 {"service_ms", dist(s.store.service)}, {"persistent", s.store.persistent}}},
      {"token", {{"verify_ms", s.token.verify_ms}, {"bytes", s.token.bytes}, {"ttl_s", s.token.ttl_s},
                 {"deny_list", s.token.deny_list}}},
      {"network", {{"hop_ms", s.network.hop_ms}, {"request_bytes", s.network.request_bytes}}},
      {"autoscaler", {{"enabled", s.autoscaler.enabled}, {"target_utilization", s.autoscaler.target_utilization},
                      {"min", s.autoscaler.min}, {"max", s.autoscaler.max}, {"interval_s", s.autoscaler.interval_s},
                      {"cooldown_s", s.autoscaler.cooldown_s}}},
      {"timeline", tl}};
  if (!s.name.empty()) j["name"] = s.name;
  if (!s.title.empty()) j["title"] = s.title;
  return j;
}

}  // namespace sl
