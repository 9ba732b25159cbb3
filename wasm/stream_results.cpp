#include "stream_results.h"

#include <algorithm>

#include "stream_engine.h"

namespace sl {

namespace {

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
  return {{"emitted", m.sink.windows_emitted},
          {"repeats", m.sink.window_repeats},
          {"correct", correct},
          {"wrong", wrong},
          {"lost", m.lost.size()},
          {"missing", missing},
          {"extra", extra},
          {"open", open},
          {"pending", pending},
          {"value_total", value_total},
          {"reference", ref.sink.windows().size()},
          {"reference_value_total", ref_value_total}};
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
  return {{"crashes", m.crashes.size()},
          {"recovered", recovered},
          {"mean_s", recovered ? round3(sum / recovered) : 0.0},
          {"max_s", round3(worst)},
          {"times_s", times}};
}

json workerResults(const StreamEngine& m, int64_t& alive_total) {
  json workers = json::array();
  alive_total = 0;
  for (size_t w = 0; w < m.workers.size(); ++w) {
    const StreamEngine::Worker& k = m.workers[w];
    const int64_t alive_us = m.aliveUs(k);
    alive_total += alive_us;
    workers.push_back({{"id", static_cast<int>(w)},
                       {"alive", k.alive},
                       {"partitions", k.owned},
                       {"processed", k.processed},
                       {"state_entries", m.workerEntries(static_cast<int>(w))},
                       {"utilization", alive_us > 0 ? round3(static_cast<double>(k.busy_us) / alive_us) : 0.0}});
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
  return {{"interval_s", m.sc.series_interval_s}, {"t_s", t_s}, {"in", in}, {"processed", proc}, {"out", out},
          {"duplicates", dup}, {"backlog", back}, {"lag_p99_ms", lagp}, {"windows", wins}, {"workers_alive", alive}};
}

json checkpointResults(const StreamEngine& m, int64_t alive_total) {
  return {{"mode", checkpointModeName(m.sc.checkpoint.mode)},
          {"interval_s", m.sc.checkpoint.interval_s},
          {"taken", m.checkpoints},
          {"state_entries", m.checkpoint_entries},
          {"entries_written", m.state_written},
          {"entries_restored", m.state_restored},
          {"pause_s", round3(streamS(m.pause_us_total))},
          {"overhead", alive_total > 0 ? round6(static_cast<double>(m.pause_us_total) / alive_total) : 0.0}};
}

}  // namespace

json streamResults(const StreamEngine& m, const StreamEngine& ref) {
  json j;
  j["kind"] = "stream";
  if (!m.sc.name.empty()) j["name"] = m.sc.name;
  j["seed"] = m.sc.seed;
  j["duration_s"] = m.sc.duration_s;
  j["t_s"] = streamS(m.now);
  j["events"] = {{"in", m.in_count},
                 {"processed", m.processed},
                 {"out", m.sink.out},
                 {"filtered", m.filtered},
                 {"replayed", m.replayed},
                 {"duplicates", m.sink.duplicates},
                 {"deduplicated", m.sink.deduplicated},
                 {"backlog", m.backlog}};
  j["outputs"] = m.sink.route_totals;
  j["output"] = {{"count", m.sink.out}, {"value_sum", m.sink.value_sum}, {"digest", hex64(m.sink.digest)}};
  j["sink"] = {{"idempotent", m.sc.sink.idempotent}};
  j["windows"] = windowResults(m, ref);
  j["lag_ms"] = {{"mean", round3(m.lag.mean() / 1000.0)},
                 {"p50", round3(m.lag.quantile(0.5) / 1000.0)},
                 {"p90", round3(m.lag.quantile(0.9) / 1000.0)},
                 {"p99", round3(m.lag.quantile(0.99) / 1000.0)},
                 {"max", round3(static_cast<double>(m.lag.max()) / 1000.0)},
                 {"count", m.lag.count()}};
  j["backlog_max"] = m.backlog_max;
  j["recovery"] = recoveryResults(m);
  int64_t alive_total = 0;
  j["workers"] = workerResults(m, alive_total);
  j["checkpoints"] = checkpointResults(m, alive_total);
  j["series"] = seriesResults(m);
  return j;
}

}  // namespace sl
