#!/usr/bin/env node
// The tuned JavaScript model of the plain scenario: M/M/16 round robin, exponential 10 ms
// service, load 0.9, 5e6 requests. Written the way a strong engineer would in an afternoon:
// a binary-heap event queue in typed arrays, xoshiro256** (64-bit words as pairs of 32-bit
// halves) with inverse-CDF exponentials, per-server FIFO rings in one flat array, a streaming
// log-bucket histogram, no allocation per request. The same model as tuned_model.cpp; it is
// the yardstick the WebAssembly core is measured against (tests/bench/wasm-vs-native.mjs).
//
//   node tests/bench/tuned-model.mjs [requests]

/** Default parameters (the plain scenario). */
export const PLAIN = { servers: 16, serviceMeanS: 0.010, load: 0.9, requests: 5e6, seed: 1 };

/** xoshiro256** seeded by splitmix64 (BigInt only while seeding); returns a uniform in (0, 1)
 *  from the top 53 bits, exactly as the C++ model does. */
function makeUniform(seed) {
  const M = (1n << 64n) - 1n;
  let x = BigInt(seed);
  const w = [];
  for (let i = 0; i < 4; ++i) {
    x = (x + 0x9e3779b97f4a7c15n) & M;
    let z = x;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M;
    z ^= z >> 31n;
    w.push(Number(z >> 32n) >>> 0, Number(z & 0xffffffffn) >>> 0);
  }
  let [s0h, s0l, s1h, s1l, s2h, s2l, s3h, s3l] = w;
  return () => {
    // result = rotl(s1 * 5, 7) * 9
    let l = Math.imul(s1l, 5) >>> 0;
    let h = (Math.imul(s1h, 5) + (((s1l >>> 0) * 5) / 4294967296 | 0)) >>> 0;
    const rh = ((h << 7) | (l >>> 25)) >>> 0, rl = ((l << 7) | (h >>> 25)) >>> 0;
    l = Math.imul(rl, 9) >>> 0;
    h = (Math.imul(rh, 9) + ((rl * 9) / 4294967296 | 0)) >>> 0;
    // t = s1 << 17; the xor steps; s3 = rotl(s3, 45)
    const th = (s1h << 17) | (s1l >>> 15), tl = s1l << 17;
    s2h ^= s0h; s2l ^= s0l;
    s3h ^= s1h; s3l ^= s1l;
    s1h ^= s2h; s1l ^= s2l;
    s0h ^= s3h; s0l ^= s3l;
    s2h ^= th; s2l ^= tl;
    const nh = (s3l << 13) | (s3h >>> 19);
    s3l = (s3h << 13) | (s3l >>> 19);
    s3h = nh;
    return (h * 2097152 + (l >>> 11) + 0.5) * 1.1102230246251565e-16;  // 2^-53
  };
}

/** Runs the model; returns {arrived, completed, meanLatencyS, p99LatencyS}. */
export function runTunedModel(params = {}) {
  const p = { ...PLAIN, ...params };
  const uniform = makeUniform(p.seed);
  const k = p.servers, gap = p.serviceMeanS / (p.load * k), service = p.serviceMeanS;
  // Binary min-heap of (time s, payload): -1 is the next arrival, else a server's departure.
  const heapT = new Float64Array(k + 1), heapV = new Int32Array(k + 1);
  let n = 0;
  const push = (time, payload) => {
    let i = n++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heapT[parent] <= time) break;
      heapT[i] = heapT[parent]; heapV[i] = heapV[parent]; i = parent;
    }
    heapT[i] = time; heapV[i] = payload;
  };
  const pop = () => {
    const lt = heapT[--n], lv = heapV[n];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && heapT[c + 1] < heapT[c]) ++c;
      if (lt <= heapT[c]) break;
      heapT[i] = heapT[c]; heapV[i] = heapV[c]; i = c;
    }
    heapT[i] = lt; heapV[i] = lv;
  };
  // Per-server FIFO rings of arrival times in one flat array, doubled when one fills.
  let ring = 1024, queue = new Float64Array(k * ring);
  let head = new Uint32Array(k);
  const count = new Uint32Array(k);
  const grow = () => {
    const bigger = new Float64Array(k * ring * 2);
    for (let j = 0; j < k; ++j)
      for (let i = 0; i < count[j]; ++i) bigger[j * ring * 2 + i] = queue[j * ring + ((head[j] + i) & (ring - 1))];
    queue = bigger; ring *= 2; head = new Uint32Array(k);
  };
  // Streaming log-bucket histogram of latency in microseconds, 16 sub-buckets per octave.
  const hist = new Float64Array(32 << 4);
  let arrived = 0, completed = 0, sum = 0, next = 0;
  push(-gap * Math.log(uniform()), -1);
  while (n > 0) {
    const now = heapT[0], v = heapV[0];
    pop();
    if (v < 0) {
      if (++arrived < p.requests) push(now - gap * Math.log(uniform()), -1);
      const s = next;
      next = next + 1 === k ? 0 : next + 1;
      if (count[s] === ring) grow();
      queue[s * ring + ((head[s] + count[s]) & (ring - 1))] = now;
      if (++count[s] === 1) push(now - service * Math.log(uniform()), s);
    } else {
      const latency = now - queue[v * ring + head[v]];
      head[v] = (head[v] + 1) & (ring - 1);
      sum += latency;
      const x = ((latency * 1e6) | 0) + 1, e = 31 - Math.clz32(x);
      ++hist[(e << 4) + (e >= 4 ? (x >>> (e - 4)) & 15 : 0)];
      ++completed;
      if (--count[v] > 0) push(now - service * Math.log(uniform()), v);
    }
  }
  return { arrived, completed, meanLatencyS: completed ? sum / completed : 0, p99LatencyS: quantile(hist, completed, 0.99) / 1e6 };
}

/** The midpoint of the bucket holding quantile q (microseconds). */
function quantile(hist, total, q) {
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (let i = 0; i < hist.length; ++i) {
    seen += hist[i];
    if (seen >= rank && seen > 0) return (1 + ((i & 15) + 0.5) / 16) * 2 ** (i >> 4) - 1;
  }
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const requests = Number(process.argv[2]) || PLAIN.requests;
  const t0 = process.cpuUsage();
  const r = runTunedModel({ requests });
  const u = process.cpuUsage(t0), cpu = (u.user + u.system) / 1e6;
  console.log(`tuned JS model: ${r.arrived} requests in ${cpu.toFixed(3)} CPU s = ${(r.arrived / cpu / 1e6).toFixed(2)} M/s; ` +
              `mean latency ${(r.meanLatencyS * 1e3).toFixed(3)} ms, p99 ${(r.p99LatencyS * 1e3).toFixed(3)} ms`);
}
