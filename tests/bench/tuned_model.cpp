// A tuned, single-purpose C++ model of the plain benchmark scenario (tests/bench/plain-mm16.json:
// M/M/16 round robin, exponential 10 ms service, load 0.9, 5e6 requests), written the way a
// strong engineer would in an afternoon: a binary-heap event queue, xoshiro256** with
// inverse-CDF exponentials, per-server FIFO rings in flat arrays, a streaming log-bucket
// histogram, no allocation per request. Self-contained (it shares no code with the core): the
// yardstick the core's native build is measured against. tuned-model.mjs is the same model in
// JavaScript; tests/bench/wasm-vs-native.mjs runs both.
//
//   build/native/tests/bench/tuned_model [requests]   prints one JSON line
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {

/// The plain scenario: Poisson arrivals, round robin over `servers` single-worker FIFO servers
/// with exponential service. Defaults: M/M/16 round robin, 10 ms service, load 0.9, 5e6 requests.
struct TunedParams {
  int servers = 16;               ///< single-worker servers
  double service_mean_s = 0.010;  ///< mean service time, seconds
  double load = 0.9;              ///< utilization of each server (arrival rate / capacity)
  uint64_t requests = 5000000;    ///< arrivals simulated
  uint64_t seed = 1;
};

/// What the tuned model measured (enough to check it against queueing theory).
struct TunedResult {
  uint64_t arrived = 0;
  uint64_t completed = 0;
  double mean_latency_s = 0;  ///< arrival to departure, seconds
  double p99_latency_s = 0;   ///< from the log-bucket histogram, seconds
};

/// xoshiro256** seeded by splitmix64.
struct Xoshiro {
  uint64_t s[4];
  explicit Xoshiro(uint64_t seed) {
    for (uint64_t& w : s) {
      seed += 0x9e3779b97f4a7c15ULL;
      uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      w = z ^ (z >> 31);
    }
  }
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t next() {
    const uint64_t out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0], s[3] ^= s[1], s[1] ^= s[2], s[0] ^= s[3], s[2] ^= t, s[3] = rotl(s[3], 45);
    return out;
  }
  /// Exponential with the given mean by inverting the CDF of a uniform in (0, 1).
  double exponential(double mean) { return -mean * std::log((static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53); }
};

/// Binary min-heap of (time s, payload): payload -1 is the next arrival, else a server's
/// departure. At most servers + 1 entries, preallocated.
struct Heap {
  std::vector<double> t;
  std::vector<int32_t> v;
  int n = 0;
  explicit Heap(int cap) : t(static_cast<size_t>(cap)), v(static_cast<size_t>(cap)) {}
  void push(double time, int32_t payload) {
    int i = n++;
    while (i > 0) {
      const int p = (i - 1) >> 1;
      if (t[p] <= time) break;
      t[i] = t[p], v[i] = v[p], i = p;
    }
    t[i] = time, v[i] = payload;
  }
  void pop() {
    const double lt = t[--n];
    const int32_t lv = v[n];
    int i = 0;
    for (;;) {
      int c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && t[c + 1] < t[c]) ++c;
      if (lt <= t[c]) break;
      t[i] = t[c], v[i] = v[c], i = c;
    }
    t[i] = lt, v[i] = lv;
  }
};

/// Streaming log-bucket histogram of latencies in microseconds: 2^4 sub-buckets per octave.
struct LogHistogram {
  static constexpr int kSub = 4;
  uint64_t bucket[64 << kSub] = {};
  uint64_t n = 0;
  void record(double us) {
    const uint64_t x = static_cast<uint64_t>(us) + 1;
    const int e = 63 - __builtin_clzll(x);
    const int sub = e >= kSub ? static_cast<int>((x >> (e - kSub)) & ((1 << kSub) - 1)) : 0;
    ++bucket[(e << kSub) + sub];
    ++n;
  }
  double quantileUs(double q) const {
    const uint64_t rank = static_cast<uint64_t>(std::ceil(q * static_cast<double>(n)));
    uint64_t seen = 0;
    for (int i = 0; i < (64 << kSub); ++i) {
      seen += bucket[i];
      if (seen >= rank && seen > 0) {
        const int e = i >> kSub, sub = i & ((1 << kSub) - 1);
        return std::ldexp(1.0 + (sub + 0.5) / (1 << kSub), e) - 1.0;  // bucket midpoint
      }
    }
    return 0;
  }
};

/// Runs the model of `p` to its last departure.
TunedResult runTunedModel(const TunedParams& p) {
  Xoshiro rng(p.seed);
  const int k = p.servers;
  const double gap = p.service_mean_s / (p.load * k), service = p.service_mean_s;
  Heap heap(k + 1);
  // Per-server FIFO of arrival times: rings of a power-of-two size in one flat array, doubled
  // (rarely, never per request once warm) when one fills.
  size_t ring = 1024;
  std::vector<double> queue(static_cast<size_t>(k) * ring);
  std::vector<uint32_t> head(static_cast<size_t>(k)), count(static_cast<size_t>(k));
  LogHistogram hist;  // 8 KB, on the stack
  TunedResult r;
  double sum = 0;
  int next = 0;
  heap.push(rng.exponential(gap), -1);
  while (heap.n > 0) {
    const double now = heap.t[0];
    const int32_t v = heap.v[0];
    heap.pop();
    if (v < 0) {
      if (++r.arrived < p.requests) heap.push(now + rng.exponential(gap), -1);
      const int s = next;
      next = next + 1 == k ? 0 : next + 1;
      if (count[s] == ring) {  // grow every ring, keeping each one's order
        std::vector<double> bigger(static_cast<size_t>(k) * ring * 2);
        for (int j = 0; j < k; ++j)
          for (size_t i = 0; i < count[j]; ++i) bigger[j * ring * 2 + i] = queue[j * ring + ((head[j] + i) & (ring - 1))];
        queue.swap(bigger), ring *= 2;
        std::fill(head.begin(), head.end(), 0);
      }
      queue[s * ring + ((head[s] + count[s]) & (ring - 1))] = now;
      if (++count[s] == 1) heap.push(now + rng.exponential(service), s);
    } else {
      const double latency = now - queue[v * ring + head[v]];
      head[v] = static_cast<uint32_t>((head[v] + 1) & (ring - 1));
      sum += latency;
      hist.record(latency * 1e6);
      ++r.completed;
      if (--count[v] > 0) heap.push(now + rng.exponential(service), v);
    }
  }
  r.mean_latency_s = r.completed ? sum / static_cast<double>(r.completed) : 0;
  r.p99_latency_s = hist.quantileUs(0.99) / 1e6;
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  TunedParams p;
  if (argc > 1) p.requests = std::strtoull(argv[1], nullptr, 10);
  const TunedResult r = runTunedModel(p);
  std::printf("{\"requests\": %llu, \"completed\": %llu, \"mean_latency_ms\": %.6f, \"p99_latency_ms\": %.6f}\n",
              static_cast<unsigned long long>(r.arrived), static_cast<unsigned long long>(r.completed),
              r.mean_latency_s * 1e3, r.p99_latency_s * 1e3);
  return 0;
}
