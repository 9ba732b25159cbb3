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

/// The top level's own fields: identity, seed and the run's length.
void readRun(JsonReader& root, Scenario& s) {
  root.allowOnly({"kind", "name", "title", "description", "seed", "duration_s", "warmup_s",
                  "series_interval_s", "traffic", "balancer", "servers", "session", "store",
                  "token", "network", "autoscaler", "timeline"});
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

/// Traffic, balancer, servers and session: who asks, who routes and who answers.
void readCluster(JsonReader& root, Scenario& s) {
  JsonReader traffic = root.object("traffic");
  traffic.allowOnly({"users", "rate_per_s", "user_skew"});
  s.traffic.users = traffic.integer("users", s.traffic.users, 1, Limits::kMaxUsers);
  s.traffic.rate_per_s = traffic.number("rate_per_s", s.traffic.rate_per_s, 0.0, Limits::kMaxRate);
  s.traffic.user_skew = traffic.number("user_skew", 0.0, 0.0, 3.0);

  JsonReader balancer = root.object("balancer");
  balancer.allowOnly({"policy"});
  s.policy = static_cast<Policy>(balancer.choice("policy", static_cast<int>(s.policy), kPolicyNames));

  JsonReader servers = root.object("servers");
  servers.allowOnly({"count", "workers", "queue_limit", "service_ms", "startup_s"});
  s.servers.count = static_cast<int>(servers.integer("count", s.servers.count, 1, Limits::kMaxServers));
  s.servers.workers = static_cast<int>(servers.integer("workers", 1, 1, Limits::kMaxWorkers));
  s.servers.queue_limit = static_cast<int>(servers.integer("queue_limit", 1000, 0, Limits::kMaxQueue));
  s.servers.service = readDist(servers, "service_ms", s.servers.service);
  s.servers.startup_s = servers.number("startup_s", 0.0, 0.0, 3600.0);

  JsonReader session = root.object("session");
  session.allowOnly({"mode", "cookie_bytes", "data_bytes"});
  s.session.mode = static_cast<SessionMode>(session.choice("mode", 0, kSessionModeNames));
  s.session.cookie_bytes = static_cast<int>(session.integer("cookie_bytes", 32, 0, 1 << 20));
  s.session.data_bytes = static_cast<int>(session.integer("data_bytes", 1024, 0, 1 << 24));
}

/// Store, token and network: where session state lives and what carrying it costs.
void readStateCosts(JsonReader& root, Scenario& s) {
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

  JsonReader network = root.object("network");
  network.allowOnly({"hop_ms", "request_bytes"});
  s.network.hop_ms = network.number("hop_ms", 0.0, 0.0, 10000.0);
  s.network.request_bytes = static_cast<int>(network.integer("request_bytes", 400, 0, 1 << 24));
}

void readAutoscaler(JsonReader& root, Scenario& s) {
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

/// The timeline's actions as written, each read on its own.
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

/// Servers and users named by actions must exist at that moment; the actions end up sorted.
void checkTimeline(Scenario& s, InputError& err) {
  const std::vector<size_t> order = timelineOrder(s.timeline);
  int servers_now = s.servers.count;
  for (size_t i : order) {
    const Action& a = s.timeline[i];
    const std::string path = "$.timeline[" + std::to_string(i) + "]";
    if ((a.kind == ActionKind::KillServer || a.kind == ActionKind::RestartServer ||
         a.kind == ActionKind::RemoveServer) && a.server >= servers_now) {
      err = {path + ".server",
             "no such server at that time (servers are numbered 0.." + std::to_string(servers_now - 1) + ")",
             std::to_string(a.server)};
      return;
    }
    if (a.kind == ActionKind::AddServer && ++servers_now > Limits::kMaxServers) {
      err = {path, "adds more than 256 servers in all", ""};
      return;
    }
    if (a.kind == ActionKind::RevokeUser && a.user >= s.traffic.users) {
      err = {path + ".user", "no such user (users are numbered 0.." + std::to_string(s.traffic.users - 1) + ")",
             std::to_string(a.user)};
      return;
    }
  }
  s.timeline = inOrder(s.timeline, order);
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
  readRun(root, s);
  readCluster(root, s);
  readStateCosts(root, s);
  readAutoscaler(root, s);
  readTimeline(root, s, err);
  if (!err.empty()) return s;
  checkTimeline(s, err);
  // The run must fit the cost limits.
  if (err.empty()) err = checkScenarioCost(s);
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
  // Field by field rather than as nested initializer lists, whose construction code is several
  // times larger in the WebAssembly module; the keys come out sorted either way.
  auto dist = [](nlohmann::json& j, const DistributionDef& d) {
    j["dist"] = distName(d.kind);
    j["mean"] = d.mean_ms;
    if (d.kind == DistKind::Lognormal) j["sigma"] = d.sigma;
  };
  nlohmann::json j = nlohmann::json::object();
  j["kind"] = "cluster";
  j["seed"] = s.seed;
  j["duration_s"] = s.duration_s;
  j["warmup_s"] = s.warmup_s;
  j["series_interval_s"] = s.series_interval_s;
  nlohmann::json& traffic = j["traffic"];
  traffic["users"] = s.traffic.users;
  traffic["rate_per_s"] = s.traffic.rate_per_s;
  traffic["user_skew"] = s.traffic.user_skew;
  j["balancer"]["policy"] = policyName(s.policy);
  nlohmann::json& servers = j["servers"];
  servers["count"] = s.servers.count;
  servers["workers"] = s.servers.workers;
  servers["queue_limit"] = s.servers.queue_limit;
  dist(servers["service_ms"], s.servers.service);
  servers["startup_s"] = s.servers.startup_s;
  nlohmann::json& session = j["session"];
  session["mode"] = sessionModeName(s.session.mode);
  session["cookie_bytes"] = s.session.cookie_bytes;
  session["data_bytes"] = s.session.data_bytes;
  nlohmann::json& store = j["store"];
  store["latency_ms"] = s.store.latency_ms;
  store["workers"] = s.store.workers;
  store["queue_limit"] = s.store.queue_limit;
  dist(store["service_ms"], s.store.service);
  store["persistent"] = s.store.persistent;
  nlohmann::json& token = j["token"];
  token["verify_ms"] = s.token.verify_ms;
  token["bytes"] = s.token.bytes;
  token["ttl_s"] = s.token.ttl_s;
  token["deny_list"] = s.token.deny_list;
  j["network"]["hop_ms"] = s.network.hop_ms;
  j["network"]["request_bytes"] = s.network.request_bytes;
  nlohmann::json& as = j["autoscaler"];
  as["enabled"] = s.autoscaler.enabled;
  as["target_utilization"] = s.autoscaler.target_utilization;
  as["min"] = s.autoscaler.min;
  as["max"] = s.autoscaler.max;
  as["interval_s"] = s.autoscaler.interval_s;
  as["cooldown_s"] = s.autoscaler.cooldown_s;
  nlohmann::json& tl = j["timeline"] = nlohmann::json::array();
  for (const Action& a : s.timeline) tl.push_back(actionToJson(a));
  if (!s.name.empty()) j["name"] = s.name;
  if (!s.title.empty()) j["title"] = s.title;
  return j;
}

}  // namespace sl
