#include "stream_results.h"

#include <algorithm>
#include <utility>

#include "stream_engine.h"

namespace sl {

namespace {

// Objects are built field by field rather than as initializer lists, whose construction code is
// several times larger in the WebAssembly module; the keys come out sorted either way.
using nlohmann::json;

double round3(double x) { return std::floor(x * 1000.0 + 0.5) / 1000.0; }
double round6(double x) { return std::floor(x * 1e6 + 0.5) / 1e6; }

std::string hex64(uint64_t x) {
  // By hand rather than with printf, which would add its whole formatter to the module.
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, x >>= 4) out[static_cast<size_t>(i)] = "0123456789abcdef"[x & 15];
  return out;
}

// Every window of the crash-free run is exactly one of: lost (its state was destroyed),
// correct, wrong, or missing (not emitted yet, e.g. still replaying at the end).
json windowResults(const StreamEngine& m, const StreamEngine& ref) {
  uint64_t correct = 0, wrong = 0, missing = 0, extra = 0;
  int64_t value_total = 0, ref_value_total = 0;
  const auto& got = m.sink.windows();
  for (const auto& kv : ref.sink.windows()) {
    ref_value_total += kv.second.value;
    if (m.lost.count(kv.first)) continue;
    auto it = got.find(kv.first);
    if (it == got.end()) ++missing;
    else if (it->second.value == kv.second.value) ++correct;
    else ++wrong;
  }
  for (const auto& kv : got) {
    value_total += kv.second.value;
    if (!ref.sink.windows().count(kv.first) && !m.lost.count(kv.first)) ++extra;
  }
  int64_t open = 0;
  uint64_t pending = 0;
  for (const StreamEngine::Partition& p : m.parts) {
    open += m.stateEntries(p);
    if (m.sc.checkpoint.mode == CheckpointMode::ExactlyOnce) pending += p.pending.windows.size();
  }
  json j = json::object();
  j["emitted"] = m.sink.windows_emitted;
  j["repeats"] = m.sink.window_repeats;
  j["correct"] = correct;
  j["wrong"] = wrong;
  j["lost"] = m.lost.size();
  j["missing"] = missing;
  j["extra"] = extra;
  j["open"] = open;
  j["pending"] = pending;
  j["value_total"] = value_total;
  j["reference"] = ref.sink.windows().size();
  j["reference_value_total"] = ref_value_total;
  return j;
}

json recoveryResults(const StreamEngine& m) {
  json times = json::array();
  int recovered = 0;
  double sum = 0, worst = 0;
  for (const StreamEngine::Crash& c : m.crashes) {
    if (c.recovered_us < 0) {
      times.push_back(nullptr);
      continue;
    }
    const double s = round3(streamS(c.recovered_us - c.t_us));
    times.push_back(s);
    ++recovered;
    sum += s;
    worst = std::max(worst, s);
  }
  json j = json::object();
  j["crashes"] = m.crashes.size();
  j["recovered"] = recovered;
  j["mean_s"] = recovered ? round3(sum / recovered) : 0.0;
  j["max_s"] = round3(worst);
  j["times_s"] = std::move(times);
  return j;
}

json workerResults(const StreamEngine& m, int64_t& alive_total) {
  json workers = json::array();
  alive_total = 0;
  for (size_t w = 0; w < m.workers.size(); ++w) {
    const StreamEngine::Worker& k = m.workers[w];
    const int64_t alive_us = m.aliveUs(k);
    alive_total += alive_us;
    json& j = workers.emplace_back(json::object());
    j["id"] = static_cast<int>(w);
    j["alive"] = k.alive;
    j["partitions"] = k.owned;
    j["processed"] = k.processed;
    j["state_entries"] = m.workerEntries(static_cast<int>(w));
    j["utilization"] = alive_us > 0 ? round3(static_cast<double>(k.busy_us) / alive_us) : 0.0;
  }
  return workers;
}

json seriesResults(const StreamEngine& m) {
  json t_s = json::array(), in = json::array(), proc = json::array(), out = json::array(), dup = json::array(),
       back = json::array(), lagp = json::array(), wins = json::array(), alive = json::array();
  for (const StreamEngine::SeriesPoint& p : m.series) {
    t_s.push_back(p.t_s);
    in.push_back(p.in);
    proc.push_back(p.processed);
    out.push_back(p.out);
    dup.push_back(p.duplicates);
    back.push_back(p.backlog);
    lagp.push_back(p.lag_p99_ms);
    wins.push_back(p.windows);
    alive.push_back(p.alive);
  }
  json j = json::object();
  j["interval_s"] = m.sc.series_interval_s;
  j["t_s"] = std::move(t_s);
  j["in"] = std::move(in);
  j["processed"] = std::move(proc);
  j["out"] = std::move(out);
  j["duplicates"] = std::move(dup);
  j["backlog"] = std::move(back);
  j["lag_p99_ms"] = std::move(lagp);
  j["windows"] = std::move(wins);
  j["workers_alive"] = std::move(alive);
  return j;
}

json checkpointResults(const StreamEngine& m, int64_t alive_total) {
  json j = json::object();
  j["mode"] = checkpointModeName(m.sc.checkpoint.mode);
  j["interval_s"] = m.sc.checkpoint.interval_s;
  j["taken"] = m.checkpoints;
  j["state_entries"] = m.checkpoint_entries;
  j["entries_written"] = m.state_written;
  j["entries_restored"] = m.state_restored;
  j["pause_s"] = round3(streamS(m.pause_us_total));
  j["overhead"] = alive_total > 0 ? round6(static_cast<double>(m.pause_us_total) / alive_total) : 0.0;
  return j;
}

}  // namespace

json streamResults(const StreamEngine& m, const StreamEngine& ref) {
  json j;
  j["kind"] = "stream";
  if (!m.sc.name.empty()) j["name"] = m.sc.name;
  j["seed"] = m.sc.seed;
  j["duration_s"] = m.sc.duration_s;
  j["t_s"] = streamS(m.now);
  json& events = j["events"];
  events["in"] = m.in_count;
  events["processed"] = m.processed;
  events["out"] = m.sink.out;
  events["filtered"] = m.filtered;
  events["replayed"] = m.replayed;
  events["duplicates"] = m.sink.duplicates;
  events["deduplicated"] = m.sink.deduplicated;
  events["backlog"] = m.backlog;
  j["outputs"] = m.sink.route_totals;
  j["output"]["count"] = m.sink.out;
  j["output"]["value_sum"] = m.sink.value_sum;
  j["output"]["digest"] = hex64(m.sink.digest);
  j["sink"]["idempotent"] = m.sc.sink.idempotent;
  j["windows"] = windowResults(m, ref);
  json& lag = j["lag_ms"];
  lag["mean"] = round3(m.lag.mean() / 1000.0);
  lag["p50"] = round3(m.lag.quantile(0.5) / 1000.0);
  lag["p90"] = round3(m.lag.quantile(0.9) / 1000.0);
  lag["p99"] = round3(m.lag.quantile(0.99) / 1000.0);
  lag["max"] = round3(static_cast<double>(m.lag.max()) / 1000.0);
  lag["count"] = m.lag.count();
  j["backlog_max"] = m.backlog_max;
  j["recovery"] = recoveryResults(m);
  int64_t alive_total = 0;
  j["workers"] = workerResults(m, alive_total);
  j["checkpoints"] = checkpointResults(m, alive_total);
  j["series"] = seriesResults(m);
  return j;
}

}  // namespace sl
