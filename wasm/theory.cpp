#include "theory.h"

#include <cmath>
#include <limits>

#include "portable_math.h"
#include "session.h"
#include "stream_source.h"

namespace sl::theory {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool finite(double x) { return std::isfinite(x); }
bool nonNegative(double x) { return finite(x) && x >= 0; }
bool share(double x) { return finite(x) && x >= 0 && x <= 1; }

/// A server count: a whole number from 1 to kMaxTheoryServers.
bool serverCount(double c) { return finite(c) && c >= 1 && c <= kMaxTheoryServers && c == std::floor(c); }

QueueState unstable() {
  QueueState q;
  q.utilization = q.p_wait = q.wait_s = q.response_s = q.in_queue = q.in_system = kNaN;
  return q;
}

/// Exp(θ) wait convolved with Exp(μ) service: P(W + S > t), the hypoexponential tail.
double hypoTail(double theta, double mu, double t) {
  // Equal rates make the general form 0/0; its limit is the Erlang-2 tail.
  if (std::fabs(theta - mu) <= 1e-12 * mu) return (1 + mu * t) * portableExp(-mu * t);
  return (theta * portableExp(-mu * t) - mu * portableExp(-theta * t)) / (theta - mu);
}

}  // namespace

double erlangB(double offered, double servers) {
  if (!nonNegative(offered) || !serverCount(servers)) return kNaN;
  // The recursion B(k) = A B(k-1) / (k + A B(k-1)) stays within [0, 1] for any c, where the
  // textbook ratio of A^c/c! to a sum overflows near c = 170.
  double b = 1.0;
  const int c = static_cast<int>(servers);
  for (int k = 1; k <= c; ++k) b = offered * b / (k + offered * b);
  return b;
}

double erlangC(double offered, double servers) {
  if (!nonNegative(offered) || !serverCount(servers) || !(offered < servers)) return kNaN;
  const double b = erlangB(offered, servers);
  const double rho = offered / servers;
  return b / (1 - rho * (1 - b));
}

QueueState mmc(double arrival_per_s, double service_per_s, double servers) {
  if (!nonNegative(arrival_per_s) || !finite(service_per_s) || !(service_per_s > 0) || !serverCount(servers)) {
    return unstable();
  }
  const double offered = arrival_per_s / service_per_s;
  if (!(offered < servers)) return unstable();
  QueueState q;
  q.stable = true;
  q.utilization = offered / servers;
  q.p_wait = erlangC(offered, servers);
  q.wait_s = q.p_wait / (servers * service_per_s - arrival_per_s);
  q.response_s = q.wait_s + 1 / service_per_s;
  q.in_queue = arrival_per_s * q.wait_s;
  q.in_system = arrival_per_s * q.response_s;
  return q;
}

double responseTail(double arrival_per_s, double service_per_s, double servers, double t_s) {
  const QueueState q = mmc(arrival_per_s, service_per_s, servers);
  if (!q.stable || !nonNegative(t_s)) return kNaN;
  const double mu = service_per_s;
  const double theta = servers * mu - arrival_per_s;
  return (1 - q.p_wait) * portableExp(-mu * t_s) + q.p_wait * hypoTail(theta, mu, t_s);
}

double responseQuantile(double arrival_per_s, double service_per_s, double servers, double q) {
  if (!finite(q) || !(q > 0 && q < 1)) return kNaN;
  if (!mmc(arrival_per_s, service_per_s, servers).stable) return kNaN;
  const double target = 1 - q;
  // The tail falls monotonically from 1 at t = 0: bracket the quantile, then bisect.
  double lo = 0, hi = 1 / service_per_s;
  for (int i = 0; i < 200 && responseTail(arrival_per_s, service_per_s, servers, hi) > target; ++i) hi *= 2;
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    (responseTail(arrival_per_s, service_per_s, servers, mid) > target ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

double littleL(double arrival_per_s, double response_s) {
  if (!nonNegative(arrival_per_s) || !nonNegative(response_s)) return kNaN;
  return arrival_per_s * response_s;
}

double amdahl(double parallel_share, double n) {
  if (!share(parallel_share) || !(n >= 1)) return kNaN;
  return 1 / ((1 - parallel_share) + parallel_share / n);
}

double usl(double n, double alpha, double beta) {
  if (!finite(n) || !(n >= 1) || !nonNegative(alpha) || !nonNegative(beta)) return kNaN;
  return n / (1 + alpha * (n - 1) + beta * n * (n - 1));
}

double uslPeak(double alpha, double beta) {
  if (!share(alpha) || !nonNegative(beta)) return kNaN;
  if (beta == 0) return std::numeric_limits<double>::infinity();
  return std::sqrt((1 - alpha) / beta);
}

double moduloRemapShare(double n) {
  // A key stays only if hash mod n equals hash mod (n + 1): one residue in n + 1 does.
  if (!serverCount(n)) return kNaN;
  return n / (n + 1);
}

double consistentRemapShare(double n) {
  if (!serverCount(n)) return kNaN;
  return 1 / (n + 1);
}

double roundRobinMissShare(double servers) {
  // The next request lands on the server holding the session once in n turns.
  if (!serverCount(servers)) return kNaN;
  return (servers - 1) / servers;
}

double crashLossShare(double killed, double servers) {
  if (!serverCount(servers) || !nonNegative(killed) || killed > servers) return kNaN;
  return killed / servers;
}

double revokedAcceptedShare(double ttl_s, double duration_s, double revoked_at_s, bool deny_list) {
  if (!nonNegative(ttl_s) || !finite(duration_s) || !nonNegative(revoked_at_s) || !(revoked_at_s < duration_s)) {
    return kNaN;
  }
  if (deny_list) return 0;
  // The token was issued at the start, so it expires at ttl_s; after that the refresh is refused.
  const double left = duration_s - revoked_at_s;
  const double accepted = std::fmin(ttl_s, duration_s) - revoked_at_s;
  return std::fmin(1.0, std::fmax(0.0, accepted / left));
}

double serversNeeded(double rate_per_s, double work_s, double workers, double target_utilization) {
  if (!nonNegative(rate_per_s) || !nonNegative(work_s) || !serverCount(workers) || !finite(target_utilization) ||
      !(target_utilization > 0 && target_utilization <= 1)) {
    return kNaN;
  }
  return std::ceil(rate_per_s * work_s / workers / target_utilization);
}

double fairShareAfterAdd(double servers, double added_at_s, double duration_s) {
  if (!serverCount(servers) || !finite(duration_s) || !(duration_s > 0) || !nonNegative(added_at_s) ||
      added_at_s > duration_s) {
    return kNaN;
  }
  return (1 / (servers + 1)) * (duration_s - added_at_s) / duration_s;
}

bool mmcApplies(const Scenario& s) {
  const bool poisson_split = s.servers.count == 1 || s.policy == Policy::Random || s.policy == Policy::IpHash ||
                             s.policy == Policy::ConsistentHash;
  return poisson_split && s.servers.service.kind == DistKind::Exponential && s.session.mode == SessionMode::None &&
         s.timeline.empty() && !s.autoscaler.enabled;
}

double credentialBytes(const Scenario& s) {
  return static_cast<double>(sl::credentialBytes(s.session.mode, s));
}

double storeOutageSeconds(const Scenario& s) {
  // The timeline is sorted; a second store_down while down, or store_up while up, changes nothing.
  double total = 0;
  double down_since = -1;
  for (const Action& a : s.timeline) {
    const double t = static_cast<double>(a.at_us) / 1e6;
    if (a.kind == ActionKind::StoreDown && down_since < 0) down_since = t;
    if (a.kind == ActionKind::StoreUp && down_since >= 0) {
      total += t - down_since;
      down_since = -1;
    }
  }
  if (down_since >= 0) total += s.duration_s - down_since;
  return total;
}

StreamCrash streamCrash(const StreamScenario& s) {
  StreamCrash out;
  const StreamAction* kill = nullptr;
  for (const StreamAction& a : s.timeline) {
    if (a.kind == StreamActionKind::KillWorker) {
      kill = &a;
      break;
    }
  }
  if (!kill || s.workers < 1 || s.partitions < 1) return out;
  out.crashed = true;
  out.worker = kill->worker;
  out.at_s = static_cast<double>(kill->at_us) / 1e6;
  for (int p = 0; p < s.partitions; ++p) out.partitions_owned += p % s.workers == out.worker ? 1 : 0;
  // Key k is drawn with weight (k + 1)^-skew (the source's Zipf table); the crashed worker
  // replays the keys that hash to its partitions.
  double owned = 0, total = 0;
  for (int64_t k = 0; k < s.source.keys; ++k) {
    const double w = s.source.key_skew == 0 ? 1.0 : portablePow(static_cast<double>(k + 1), -s.source.key_skew);
    total += w;
    if (streamPartitionOf(static_cast<uint32_t>(k), s.partitions) % s.workers == out.worker) {
      owned += w;
      ++out.keys_owned;
    }
  }
  out.key_share = total > 0 ? owned / total : 0;
  // Positions are committed every interval_s, the first at interval_s (none before it).
  const double interval = s.checkpoint.interval_s;
  out.last_commit_s = interval > 0 ? std::floor(out.at_s / interval) * interval : 0;
  out.replayed = s.source.rate_per_s * (out.at_s - out.last_commit_s) * out.key_share;
  return out;
}

}  // namespace sl::theory
