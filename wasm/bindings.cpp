// The boundary between the C++ core and JavaScript: the only file that includes emscripten.
//
// Rules that keep the module safe to drive from any page:
// - Nothing here throws and nothing aborts on user input: scenario and action errors come
//   back as values (JSON text of an InputError), numbers from JS are checked before use.
// - Bulk data (the trace, server and store state) crosses as typed-array views of C++ memory.
//   A view is valid only until the next call into the module (memory may grow), so the JS
//   wrapper (web/lab/stateless-lab.mjs) copies it at once.
// - No 64-bit integers cross the boundary (they would need BigInt): times are seconds as double.
// - The raw classes here are not the public API; web/lab/stateless-lab.mjs is, and it owns
//   .delete() of every object created here.
#include <emscripten/bind.h>
#include <emscripten/em_macros.h>
#include <emscripten/em_js.h>
#include <emscripten/val.h>

#include <locale.h>
#include <malloc.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "command_line.h"
#include "scenario.h"
#include "scenario_registry.h"
#include "simulation.h"
#include "stream_registry.h"
#include "stream_scenario.h"
#include "stream_simulation.h"
#include "theory.h"
#include "vocabulary.h"

using emscripten::typed_memory_view;
using emscripten::val;

namespace sl {
namespace {

/// Live simulation objects of both models, so tests can prove that the wrapper deletes what
/// it creates.
int g_live_simulations = 0;

std::string dumpJson(const nlohmann::json& j) {
  // replace: invalid UTF-8 would otherwise make dump() throw, and throwing aborts the module.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

/// JSON text of an error for the JS wrapper; empty when there is none.
std::string errorJson(const InputError& err) {
  if (err.empty()) return std::string();
  // Each part one line of valid UTF-8, as text() is.
  nlohmann::json j = nlohmann::json::object();
  j["path"] = printable(err.path);
  j["message"] = printable(err.message);
  j["got"] = printable(err.got);
  j["text"] = err.text();
  return dumpJson(j);
}

/// Seconds from JS to simulated microseconds; `fallback` for NaN, saturating at the ends.
int64_t toMicros(double seconds, int64_t fallback, int64_t lo, int64_t hi) {
  if (std::isnan(seconds)) return fallback;
  const double us = seconds * 1e6;
  if (us <= static_cast<double>(lo)) return lo;
  if (us >= static_cast<double>(hi)) return hi;
  return static_cast<int64_t>(std::llround(us));
}

/// A view of a vector's elements in WebAssembly memory.
template <typename T>
val view(const std::vector<T>& v) {
  return val(typed_memory_view(v.size(), v.data()));
}

/// A fresh copy of a byte string as a JS Uint8Array (bytes, not text: the CLI's output must
/// reach stdout byte for byte, whatever it contains).
val bytesToJs(const std::string& s) {
  return val(typed_memory_view(s.size(), reinterpret_cast<const uint8_t*>(s.data()))).call<val>("slice");
}

}  // namespace

/// Scenario text to the scenario of each model (chosen by the simulation type).
Scenario parseFor(const std::string& text, InputError& err, const Simulation*) { return parseScenario(text, err); }
StreamScenario parseFor(const std::string& text, InputError& err, const StreamSimulation*) {
  return parseStreamScenario(text, err);
}

/// A view of one cluster trace column: 0 request .. 9 t1 (order of TRACE_FIELDS in the wrapper).
val traceColumnOf(const TraceBuffer& t, int field) {
  switch (field) {
    case 0: return view(t.request);
    case 1: return view(t.user);
    case 2: return view(t.from);
    case 3: return view(t.to);
    case 4: return view(t.kind);
    case 5: return view(t.outcome);
    case 6: return view(t.flags);
    case 7: return view(t.detail);
    case 8: return view(t.t0);
    case 9: return view(t.t1);
    default: return val::null();
  }
}

/// A view of one stream trace column: 0 kind .. 9 t1 (order of STREAM_TRACE_FIELDS in the wrapper).
val traceColumnOf(const StreamTrace& t, int field) {
  switch (field) {
    case 0: return view(t.kind);
    case 1: return view(t.worker);
    case 2: return view(t.partition);
    case 3: return view(t.key);
    case 4: return view(t.seq);
    case 5: return view(t.value);
    case 6: return view(t.detail);
    case 7: return view(t.flags);
    case 8: return view(t.t0);
    case 9: return view(t.t1);
    default: return val::null();
  }
}

/// One simulation of either model as seen from JavaScript. Constructed from scenario text; if
/// the text is invalid the object holds the error instead of a simulation (ok() == false) so
/// that construction never throws into JS. The model's own views (servers and store, or
/// workers and partitions) are members too: a class template's member is compiled only for
/// the model whose binding names it.
template <typename Sim>
class LabModel {
 public:
  /// Field order of servers(): must match SERVER_FIELDS in web/lab/stateless-lab.mjs.
  static constexpr int kServerFields = 8;
  /// Field counts of workers(), partitions() and lostWindows(): must match the JS wrapper.
  static constexpr int kWorkerFields = 7;
  static constexpr int kPartitionFields = 8;

  LabModel(const std::string& text, bool trace, double trace_limit) {
    ++g_live_simulations;
    InputError err;
    const auto scenario = parseFor(text, err, static_cast<const Sim*>(nullptr));
    if (!err.empty()) {
      error_ = errorJson(err);
      return;
    }
    sim_ = std::make_unique<Sim>(scenario);
    // At most a million events a step (about 40 MB); NaN and negatives give the default.
    size_t limit = 20000;
    if (trace_limit >= 0) limit = static_cast<size_t>(std::min(trace_limit, 1e6));
    sim_->setTrace(trace, limit);
  }
  ~LabModel() { --g_live_simulations; }
  LabModel(const LabModel&) = delete;
  LabModel& operator=(const LabModel&) = delete;

  bool ok() const { return sim_ != nullptr; }
  std::string error() const { return error_; }

  void step(double dt_s) {
    // The core treats NaN and dt <= 0 as 0 and stops at the end (+Infinity included).
    if (sim_) sim_->step(dt_s);
  }
  void runUntil(double t_s) {
    if (!sim_) return;
    sim_->runUntil(toMicros(t_s, sim_->nowUs(), sim_->nowUs(), sim_->endUs()));
  }
  void seek(double t_s) {
    if (!sim_) return;
    sim_->seek(toMicros(t_s, sim_->nowUs(), 0, sim_->endUs()));
  }
  double now() const { return sim_ ? static_cast<double>(sim_->nowUs()) / 1e6 : 0.0; }
  double end() const { return sim_ ? static_cast<double>(sim_->endUs()) / 1e6 : 0.0; }
  bool finished() const { return !sim_ || sim_->finished(); }

  /// Applies an action given as JSON text; returns error JSON, empty on success.
  std::string apply(const std::string& json) {
    if (!sim_) return error_;
    return errorJson(sim_->applyJson(json));
  }

  std::string results() const { return sim_ ? dumpJson(sim_->results()) : "{}"; }
  std::string series() const { return sim_ ? dumpJson(sim_->series()) : "{}"; }

  int traceCount() const { return sim_ ? static_cast<int>(sim_->trace().size()) : 0; }
  double traceDropped() const { return sim_ ? static_cast<double>(sim_->trace().dropped) : 0.0; }
  val traceColumn(int field) const { return sim_ ? traceColumnOf(sim_->trace(), field) : val::null(); }

  // Cluster model: what a view refreshes often, and the series in bounded pieces.
  std::string summary() const { return sim_ ? dumpJson(sim_->summary()) : "{}"; }
  std::string seriesPart(double from, double count) const {
    if (!sim_) return "{}";
    const auto index = [](double v) { return v > 0 ? static_cast<size_t>(std::min(v, 1e15)) : size_t{0}; };
    return dumpJson(sim_->series(index(from), index(count)));
  }

  // Cluster model.
  int serverCount() const { return sim_ ? sim_->serverCount() : 0; }
  /// Every server's state, kServerFields doubles each: id, alive, in_rotation, draining, busy,
  /// queued, sessions, handled.
  val servers() {
    scratch_.clear();
    const int n = serverCount();
    for (int i = 0; i < n; ++i) {
      const ServerView v = sim_->server(i);
      scratch_.insert(scratch_.end(),
                      {static_cast<double>(v.id), v.alive ? 1.0 : 0.0, v.in_rotation ? 1.0 : 0.0,
                       v.draining ? 1.0 : 0.0, static_cast<double>(v.busy),
                       static_cast<double>(v.queued), static_cast<double>(v.sessions),
                       static_cast<double>(v.handled)});
    }
    return view(scratch_);
  }
  /// The store's state: up, busy, queued, sessions, lookups.
  val store() {
    scratch_.clear();
    if (sim_) {
      const StoreView v = sim_->store();
      scratch_ = {v.up ? 1.0 : 0.0, static_cast<double>(v.busy), static_cast<double>(v.queued),
                  static_cast<double>(v.sessions), static_cast<double>(v.lookups)};
    }
    return view(scratch_);
  }

  /// The server the last successful apply() started with add_server, -1 if none.
  int addedServer() const { return sim_ ? sim_->addedServer() : -1; }
  std::string policy() const { return sim_ ? policyName(sim_->policy()) : ""; }
  std::string sessionMode() const { return sim_ ? sessionModeName(sim_->sessionMode()) : ""; }
  /// Whether requests look something up in the session store under the live session mode.
  bool usesStore() const { return sim_ ? sim_->usesStore() : false; }
  double rate() const { return sim_ ? sim_->rate() : 0.0; }

  // Stream model.
  /// Every worker, kWorkerFields doubles each: id, alive, busy, paused, partitions,
  /// state_entries, processed.
  val workers() {
    scratch_.clear();
    const int n = sim_ ? sim_->workerCount() : 0;
    for (int i = 0; i < n; ++i) {
      const StreamWorkerView v = sim_->worker(i);
      scratch_.insert(scratch_.end(),
                      {static_cast<double>(v.id), v.alive ? 1.0 : 0.0, v.busy ? 1.0 : 0.0,
                       v.paused ? 1.0 : 0.0, static_cast<double>(v.partitions),
                       static_cast<double>(v.state_entries), static_cast<double>(v.processed)});
    }
    return view(scratch_);
  }
  /// Every partition, kPartitionFields doubles each: id, owner, home, log_end, position,
  /// checkpoint, backlog, state_entries.
  val partitions() {
    scratch_.clear();
    const int n = sim_ ? sim_->partitionCount() : 0;
    for (int i = 0; i < n; ++i) {
      const StreamPartitionView v = sim_->partition(i);
      scratch_.insert(scratch_.end(),
                      {static_cast<double>(v.id), static_cast<double>(v.owner), static_cast<double>(v.home),
                       static_cast<double>(v.log_end), static_cast<double>(v.position),
                       static_cast<double>(v.checkpoint), static_cast<double>(v.backlog),
                       static_cast<double>(v.state_entries)});
    }
    return view(scratch_);
  }
  /// Windows a crash destroyed, 3 doubles each: operator, key, window.
  val lostWindows() {
    scratch_.clear();
    if (sim_) {
      for (const StreamWindowId& w : sim_->lostWindows())
        scratch_.insert(scratch_.end(), {static_cast<double>(w.op), static_cast<double>(w.key),
                                         static_cast<double>(w.window)});
    }
    return view(scratch_);
  }

 private:
  std::unique_ptr<Sim> sim_;
  std::string error_;
  std::vector<double> scratch_;
};

using LabSimulation = LabModel<Simulation>;
using LabStreamSimulation = LabModel<StreamSimulation>;

namespace {

int liveSimulations() { return g_live_simulations; }

/// Bytes allocated with malloc and not yet freed (leak checks).
double heapInUse() { return static_cast<double>(mallinfo().uordblks); }
/// Size of the WebAssembly memory, bytes.
double memoryBytes() { return static_cast<double>(__builtin_wasm_memory_size(0)) * 65536.0; }

/// "stream" or "cluster": the model a scenario text selects, decided as the CLI decides.
std::string scenarioKind(const std::string& text) {
  nlohmann::json doc;
  InputError err;
  return parseJsonText(text, doc, err) && isStreamScenario(doc) ? "stream" : "cluster";
}

/// Whether a cluster scenario's requests look something up in the session store; false for a
/// stream scenario and for invalid text.
bool scenarioUsesStore(const std::string& text) {
  if (scenarioKind(text) == "stream") return false;
  InputError err;
  const Scenario s = parseScenario(text, err);
  return err.empty() && usesStore(s.session.mode, s);
}

/// Validates scenario text of either model; error JSON, empty when valid.
std::string validateScenario(const std::string& text) {
  InputError err;
  if (scenarioKind(text) == "stream") parseStreamScenario(text, err);
  else parseScenario(text, err);
  return errorJson(err);
}

/// A scenario of either model with every default filled in, as JSON text: {"scenario": {...}}
/// when it validates (the form its model writes, so reading it back gives the same scenario),
/// else {"error": {...}} with errorJson()'s fields. The description, which the models do not
/// keep, is copied from the text.
std::string normalizeScenario(const std::string& text) {
  InputError err;
  nlohmann::json scenario;
  if (scenarioKind(text) == "stream") {
    const StreamScenario s = parseStreamScenario(text, err);
    if (err.empty()) scenario = streamScenarioToJson(s);
  } else {
    const Scenario s = parseScenario(text, err);
    if (err.empty()) scenario = scenarioToJson(s);
  }
  if (!err.empty()) return "{\"error\":" + errorJson(err) + "}";
  nlohmann::json doc;
  if (parseJsonText(text, doc, err)) {
    const auto it = doc.find("description");
    if (it != doc.end()) scenario["description"] = *it;
  }
  nlohmann::json out = nlohmann::json::object();
  out["scenario"] = std::move(scenario);
  return dumpJson(out);
}

/// A registered scenario's text, cluster or stream; empty if there is no such name.
std::string registeredText(const std::string& name) {
  const char* text = registeredScenarioText(name);
  return text ? std::string(text) : streamScenarioText(name);
}

/// Registered scenarios as JSON: [{name, kind, title, description}], cluster ones first (the
/// order of `stateless-lab list`), read from their own JSON text.
std::string scenarioList() {
  nlohmann::json list = nlohmann::json::array();
  auto add = [&list](const std::string& name, const char* kind) {
    nlohmann::json doc;
    InputError err;
    if (!parseJsonText(registeredText(name), doc, err) || !doc.is_object()) doc = nlohmann::json::object();
    auto field = [&doc](const char* key) {
      const auto it = doc.find(key);
      return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    nlohmann::json& entry = list.emplace_back(nlohmann::json::object());
    entry["name"] = name;
    entry["kind"] = kind;
    entry["title"] = field("title");
    entry["description"] = field("description");
  };
  for (const std::string& name : registeredScenarioNames()) add(name, "cluster");
  for (const std::string& name : streamScenarioNames()) add(name, "stream");
  return dumpJson(list);
}

/// The core's names as JSON (vocabularyJson()): the JS wrapper and the generated
/// web/lab/core/vocabulary.mjs take every policy, mode, action and code name from it.
std::string vocabulary() { return dumpJson(vocabularyJson()); }

/// A registered scenario's JSON text, or null if there is no such name.
val scenarioText(const std::string& name) {
  const std::string text = registeredText(name);
  return text.empty() ? val::null() : val(text);
}

/// The command line of the native CLI. `args` is an array of strings (without the program
/// name); `readFile(path)` must return a Uint8Array of the file's bytes, or null, and must not
/// throw (a JS exception unwinding through C++ frames would skip destructors). Returns
/// {code, stdout: Uint8Array, stderr: Uint8Array}.
val runCli(val args, val read_file) {
  std::vector<std::string> argv;
  const int argc = args["length"].as<int>();
  argv.reserve(argc);
  for (int i = 0; i < argc; ++i) argv.push_back(args[i].as<std::string>());
  auto reader = [&read_file](const std::string& path, std::string& contents) {
    val bytes = read_file(path);
    if (bytes.isNull() || bytes.isUndefined()) return false;
    const size_t n = bytes["length"].as<size_t>();
    contents.assign(n, '\0');
    if (n > 0) {
      val(typed_memory_view(n, reinterpret_cast<uint8_t*>(&contents[0]))).call<void>("set", bytes);
    }
    return true;
  };
  std::string out, err;
  const int code = runCommandLine(argv, reader, out, err);
  val result = val::object();
  result.set("code", code);
  result.set("stdout", bytesToJs(out));
  result.set("stderr", bytesToJs(err));
  return result;
}

}  // namespace
}  // namespace sl

EMSCRIPTEN_BINDINGS(stateless_lab) {
  using namespace emscripten;
  using sl::LabSimulation;
  // One class per model; the JS wrapper picks by scenarioKind().
  class_<LabSimulation>("ClusterSimulation")
      .constructor<std::string, bool, double>()
      .function("ok", &LabSimulation::ok)
      .function("error", &LabSimulation::error)
      .function("step", &LabSimulation::step)
      .function("runUntil", &LabSimulation::runUntil)
      .function("seek", &LabSimulation::seek)
      .function("now", &LabSimulation::now)
      .function("end", &LabSimulation::end)
      .function("finished", &LabSimulation::finished)
      .function("apply", &LabSimulation::apply)
      .function("results", &LabSimulation::results)
      .function("series", &LabSimulation::series)
      .function("summary", &LabSimulation::summary)
      .function("seriesPart", &LabSimulation::seriesPart)
      .function("traceCount", &LabSimulation::traceCount)
      .function("traceDropped", &LabSimulation::traceDropped)
      .function("traceColumn", &LabSimulation::traceColumn)
      .function("serverCount", &LabSimulation::serverCount)
      .function("servers", &LabSimulation::servers)
      .function("store", &LabSimulation::store)
      .function("addedServer", &LabSimulation::addedServer)
      .function("policy", &LabSimulation::policy)
      .function("sessionMode", &LabSimulation::sessionMode)
      .function("usesStore", &LabSimulation::usesStore)
      .function("rate", &LabSimulation::rate);
  using sl::LabStreamSimulation;
  class_<LabStreamSimulation>("StreamSimulation")
      .constructor<std::string, bool, double>()
      .function("ok", &LabStreamSimulation::ok)
      .function("error", &LabStreamSimulation::error)
      .function("step", &LabStreamSimulation::step)
      .function("runUntil", &LabStreamSimulation::runUntil)
      .function("seek", &LabStreamSimulation::seek)
      .function("now", &LabStreamSimulation::now)
      .function("end", &LabStreamSimulation::end)
      .function("finished", &LabStreamSimulation::finished)
      .function("apply", &LabStreamSimulation::apply)
      .function("results", &LabStreamSimulation::results)
      .function("traceCount", &LabStreamSimulation::traceCount)
      .function("traceDropped", &LabStreamSimulation::traceDropped)
      .function("traceColumn", &LabStreamSimulation::traceColumn)
      .function("workers", &LabStreamSimulation::workers)
      .function("partitions", &LabStreamSimulation::partitions)
      .function("lostWindows", &LabStreamSimulation::lostWindows);
  function("scenarioKind", &sl::scenarioKind);
  function("validate", &sl::validateScenario);
  function("scenarioUsesStore", &sl::scenarioUsesStore);
  function("normalizeScenario", &sl::normalizeScenario);
  function("scenarioList", &sl::scenarioList);
  function("scenarioText", &sl::scenarioText);
  function("vocabulary", &sl::vocabulary);
  function("runCli", &sl::runCli);
  function("liveSimulations", &sl::liveSimulations);
  function("heapInUse", &sl::heapInUse);
  function("memoryBytes", &sl::memoryBytes);
}

// ---- Theory: the closed forms the lessons show (wasm/theory.h), numbers in, numbers out. ----
// Invalid numbers give NaN (the JS wrapper turns it into null); scenario text that does not
// validate gives null. Nothing here can abort.
namespace sl {
namespace {

/// {utilization, pWait, waitS, responseS, inQueue, inSystem} of an M/M/c queue, or null.
val theoryQueue(double arrival_per_s, double service_per_s, double servers) {
  const theory::QueueState q = theory::mmc(arrival_per_s, service_per_s, servers);
  if (!q.stable) return val::null();
  val out = val::object();
  out.set("utilization", q.utilization);
  out.set("pWait", q.p_wait);
  out.set("waitS", q.wait_s);
  out.set("responseS", q.response_s);
  out.set("inQueue", q.in_queue);
  out.set("inSystem", q.in_system);
  return out;
}

/// Seconds the store is down in a cluster scenario's timeline, NaN if the text is invalid.
double theoryStoreOutageSeconds(const std::string& text) {
  InputError err;
  const Scenario s = parseScenario(text, err);
  return err.empty() ? theory::storeOutageSeconds(s) : std::nan("");
}

/// Credential bytes per request of a cluster scenario, NaN if the text is invalid.
double theoryCredentialBytes(const std::string& text) {
  InputError err;
  const Scenario s = parseScenario(text, err);
  return err.empty() ? theory::credentialBytes(s) : std::nan("");
}

/// Whether a cluster scenario's servers are M/M/c queues (false if the text is invalid).
bool theoryMmcApplies(const std::string& text) {
  InputError err;
  const Scenario s = parseScenario(text, err);
  return err.empty() && theory::mmcApplies(s);
}

/// The first worker crash of a stream scenario as theory sees it, or null (no crash, invalid).
val theoryStreamCrash(const std::string& text) {
  InputError err;
  const StreamScenario s = parseStreamScenario(text, err);
  if (!err.empty()) return val::null();
  const theory::StreamCrash c = theory::streamCrash(s);
  if (!c.crashed) return val::null();
  val out = val::object();
  out.set("worker", c.worker);
  out.set("atS", c.at_s);
  out.set("partitionsOwned", c.partitions_owned);
  out.set("partitions", s.partitions);
  out.set("keysOwned", c.keys_owned);
  out.set("keys", static_cast<double>(s.source.keys));
  out.set("keyShare", c.key_share);
  out.set("lastCommitS", c.last_commit_s);
  out.set("ratePerS", s.source.rate_per_s);
  out.set("replayed", c.replayed);
  return out;
}

}  // namespace
}  // namespace sl

EMSCRIPTEN_BINDINGS(stateless_lab_theory) {
  using emscripten::function;
  namespace th = sl::theory;
  function("theoryQueue", &sl::theoryQueue);
  function("theoryErlangB", &th::erlangB);
  function("theoryErlangC", &th::erlangC);
  function("theoryResponseQuantile", &th::responseQuantile);
  function("theoryLittle", &th::littleL);
  function("theoryAmdahl", &th::amdahl);
  function("theoryUsl", &th::usl);
  function("theoryUslPeak", &th::uslPeak);
  function("theoryModuloRemapShare", &th::moduloRemapShare);
  function("theoryConsistentRemapShare", &th::consistentRemapShare);
  function("theoryRoundRobinMissShare", &th::roundRobinMissShare);
  function("theoryCrashLossShare", &th::crashLossShare);
  function("theoryRevokedAcceptedShare", &th::revokedAcceptedShare);
  function("theoryServersNeeded", &th::serversNeeded);
  function("theoryFairShareAfterAdd", &th::fairShareAfterAdd);
  function("theoryStoreOutageSeconds", &sl::theoryStoreOutageSeconds);
  function("theoryCredentialBytes", &sl::theoryCredentialBytes);
  function("theoryMmcApplies", &sl::theoryMmcApplies);
  function("theoryStreamCrash", &sl::theoryStreamCrash);
}

// ---- The C library, smaller: two libc families that this module uses for little. ----
// Linked only into this module (the native build keeps its own C library). Each replaces
// musl's code, which would otherwise be a tenth of the module; LTO keeps them only if called.

// Decimal text to double, for nlohmann's parser (its only caller): JavaScript's Number()
// rounds correctly, as musl and glibc do, so numbers read the same here as natively, and
// musl's long-double scanner stays out of the module. Only the decimal forms JSON can hold:
// no hexadecimal, inf or nan. strtof/strtold and the _l forms are here because musl keeps all
// six in one object file: defining only strtod would link that file in beside it.
EM_JS(double, sl_decimal_to_double, (const char* text, size_t length), {
  let s = "";
  for (let i = 0; i < length; ++i) s += String.fromCharCode(HEAPU8[text + i]);
  return Number(s);
});

namespace {

/// Bytes of the decimal number at the start of s (after optional spaces), 0 if there is none.
size_t decimalPrefix(const char* s, size_t& start) {
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  size_t i = 0;
  while (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r')) ++i;
  start = i;
  if (s[i] == '+' || s[i] == '-') ++i;
  size_t digits = 0;
  for (; digit(s[i]); ++i) ++digits;
  if (s[i] == '.') for (++i; digit(s[i]); ++i) ++digits;
  if (digits == 0) return 0;
  if (s[i] == 'e' || s[i] == 'E') {
    size_t j = i + 1;
    if (s[j] == '+' || s[j] == '-') ++j;
    if (digit(s[j])) {
      while (digit(s[j])) ++j;
      i = j;
    }
  }
  return i - start;
}

}  // namespace

extern "C" {

double strtod(const char* s, char** end) {
  size_t start = 0;
  const size_t n = decimalPrefix(s, start);
  if (end) *end = const_cast<char*>(n ? s + start + n : s);
  return n ? sl_decimal_to_double(s + start, n) : 0.0;
}
float strtof(const char* s, char** end) { return static_cast<float>(strtod(s, end)); }
long double strtold(const char* s, char** end) { return strtod(s, end); }
double strtod_l(const char* s, char** end, locale_t) { return strtod(s, end); }
float strtof_l(const char* s, char** end, locale_t) { return strtof(s, end); }
long double strtold_l(const char* s, char** end, locale_t) { return strtold(s, end); }

}  // extern "C"
