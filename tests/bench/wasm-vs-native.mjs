#!/usr/bin/env node
// Requests simulated per second by the WebAssembly build in node against the native build, on
// the benchmark scenarios (tests/bench/scenarios/*.json), next to plain typed-array JavaScript
// ports of a minimal scenario (a), and the gzipped size of the module. A benchmark, not a test:
// figures only (scripts/bench.sh runs it after a native and a wasm build).
//
//   node tests/bench/wasm-vs-native.mjs [scenario.json ...]
//   SL_BENCH_REPEAT=3 (best of N runs: the machine is shared and noisy)
// Times are CPU seconds (user + system; needs GNU time for the native CLI), not wall time.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';

import { loadLab } from '../../web/lab/stateless-lab.mjs';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const nativeCli = process.env.SL_NATIVE_CLI || join(root, 'build/native/stateless-lab');
const repeat = Math.max(1, Number(process.env.SL_BENCH_REPEAT) || 3);
const scenarioDir = join(root, 'tests/bench/scenarios');
const files = process.argv.length > 2 ? process.argv.slice(2)
  : readdirSync(scenarioDir).filter((f) => f.endsWith('.json')).sort().map((f) => join(scenarioDir, f));

/** CPU seconds (user + system) of this process so far: steadier than wall time on a shared
 *  machine, where other processes take turns on the cores. */
function cpuSeconds() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Fastest of `repeat` runs of fn, which returns {requests, seconds?, ...}; without seconds,
 *  this process's CPU time is measured around it. */
function best(fn) {
  let top = null;
  for (let i = 0; i < repeat; ++i) {
    const t0 = cpuSeconds();
    const out = fn();
    const seconds = out.seconds ?? cpuSeconds() - t0;
    if (!top || seconds < top.seconds) top = { ...out, seconds };
  }
  return top;
}

const gnuTime = existsSync('/usr/bin/time');

/** The native CLI under GNU time, for its CPU seconds (wall seconds without GNU time). */
function runNative(file) {
  const t0 = process.hrtime.bigint();
  const r = gnuTime
    ? spawnSync('/usr/bin/time', ['-f', '%U %S', nativeCli, 'run', file], { maxBuffer: 64 << 20 })
    : spawnSync(nativeCli, ['run', file], { maxBuffer: 64 << 20 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${nativeCli} run ${file}: ${r.stderr}`);
  const [user, system] = r.stderr.toString().trim().split('\n').pop().split(' ').map(Number);
  const results = JSON.parse(r.stdout);
  return { requests: results.requests.arrived, results, seconds: gnuTime ? user + system : wall };
}

function runWasm(lab, text) {
  const sim = lab.create(text);
  try {
    sim.run();
    const results = sim.results();
    return { requests: results.requests.arrived, results };
  } finally {
    sim.delete();
  }
}

// ---------------------------------------------------------------------------------------
// Scenario (a) in plain JavaScript: Poisson arrivals at 14,400/s, round robin over 16
// single-worker FIFO servers, exponential service of mean 1 ms, 1e7 requests, own generator.

/** xoshiro128** : 32-bit state words, so it stays in V8's fast integer paths. */
function makeRandom(seed) {
  const s = new Uint32Array(4);
  let z = seed >>> 0;
  for (let i = 0; i < 4; ++i) {  // splitmix32 seeding
    z = (z + 0x9e3779b9) >>> 0;
    let t = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    t = Math.imul(t ^ (t >>> 15), 0x735a2d97);
    s[i] = (t ^ (t >>> 15)) >>> 0;
  }
  return () => {
    const r = Math.imul(((Math.imul(s[1], 5) << 7) | (Math.imul(s[1], 5) >>> 25)), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t;
    s[3] = (s[3] << 11) | (s[3] >>> 21);
    return (r + 0.5) * 2.3283064365386963e-10;  // (0, 1)
  };
}

const A = { requests: 1e7, rate: 14400, servers: 16, serviceMeanUs: 1000 };

/**
 * A minimal discrete-event simulation, structured like the core: one event queue (a binary
 * heap ordered by time then sequence, in typed arrays), integer-microsecond times, arrival and
 * departure events, a FIFO ring per server, latency mean and a log2 histogram.
 */
function jsEvents() {
  const rand = makeRandom(1);
  const cap = 1 << 12;
  const heapT = new Float64Array(cap), heapSeq = new Float64Array(cap), heapV = new Int32Array(cap);
  let size = 0, seq = 0;
  const push = (t, v) => {
    let i = size++;
    const q = seq++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (heapT[p] < t || (heapT[p] === t && heapSeq[p] < q)) break;
      heapT[i] = heapT[p]; heapSeq[i] = heapSeq[p]; heapV[i] = heapV[p];
      i = p;
    }
    heapT[i] = t; heapSeq[i] = q; heapV[i] = v;
  };
  let popT = 0, popV = 0;
  const pop = () => {
    popT = heapT[0]; popV = heapV[0];
    const t = heapT[--size], q = heapSeq[size], v = heapV[size];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= size) break;
      if (c + 1 < size && (heapT[c + 1] < heapT[c] || (heapT[c + 1] === heapT[c] && heapSeq[c + 1] < heapSeq[c]))) ++c;
      if (t < heapT[c] || (t === heapT[c] && q < heapSeq[c])) break;
      heapT[i] = heapT[c]; heapSeq[i] = heapSeq[c]; heapV[i] = heapV[c];
      i = c;
    }
    heapT[i] = t; heapSeq[i] = q; heapV[i] = v;
  };
  const ring = 1 << 16;  // per-server queue of arrival times (far above any queue at load 0.9)
  const queue = new Float64Array(A.servers * ring);
  const head = new Int32Array(A.servers), count = new Int32Array(A.servers);
  const histogram = new Float64Array(40);
  const gapUs = 1e6 / A.rate;
  let arrived = 0, completed = 0, next = 0, latencySum = 0;
  const ARRIVAL = -1;
  push(Math.round(-gapUs * Math.log(rand())), ARRIVAL);
  while (size > 0) {
    pop();
    const now = popT, v = popV;
    if (v === ARRIVAL) {
      if (++arrived < A.requests) push(now + Math.round(-gapUs * Math.log(rand())), ARRIVAL);
      const s = next;
      next = next + 1 === A.servers ? 0 : next + 1;
      queue[s * ring + ((head[s] + count[s]) & (ring - 1))] = now;
      if (++count[s] === 1) push(now + Math.round(-A.serviceMeanUs * Math.log(rand())), s);
    } else {
      const s = v;
      const latency = now - queue[s * ring + head[s]];
      head[s] = (head[s] + 1) & (ring - 1);
      latencySum += latency;
      ++histogram[31 - Math.clz32(latency | 1)];
      ++completed;
      if (--count[s] > 0) push(now + Math.round(-A.serviceMeanUs * Math.log(rand())), s);
    }
  }
  return { requests: arrived, meanLatencyMs: latencySum / completed / 1000 };
}

/** The least work there is: Lindley's recursion per server, no event queue at all. */
function jsLindley() {
  const rand = makeRandom(1);
  const freeAt = new Float64Array(A.servers);
  const gapUs = 1e6 / A.rate;
  let t = 0, sum = 0, s = 0;
  for (let i = 0; i < A.requests; ++i) {
    t -= gapUs * Math.log(rand());
    const start = freeAt[s] > t ? freeAt[s] : t;
    const done = start - A.serviceMeanUs * Math.log(rand());
    freeAt[s] = done;
    sum += done - t;
    s = s + 1 === A.servers ? 0 : s + 1;
  }
  return { requests: A.requests, meanLatencyMs: sum / A.requests / 1000 };
}

// ---------------------------------------------------------------------------------------

const fmt = (x) => (x / 1e6).toFixed(2).padStart(8);
const lab = await loadLab();
console.log(`WebAssembly (node ${process.version}) vs native, best of ${repeat}; requests per CPU second, millions`);
console.log(`${'scenario'.padEnd(28)} ${'requests'.padStart(10)} ${'native'.padStart(8)} ${'wasm'.padStart(8)} ${'ratio'.padStart(6)}  same results`);
const rows = [];
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const native = best(() => runNative(file));
  const wasm = best(() => runWasm(lab, text));
  const same = JSON.stringify(native.results) === JSON.stringify(wasm.results);
  const nr = native.requests / native.seconds, wr = wasm.requests / wasm.seconds;
  rows.push({ name: basename(file, '.json'), nr, wr });
  console.log(`${basename(file, '.json').padEnd(28)} ${String(native.requests).padStart(10)} ${fmt(nr)} ${fmt(wr)} ${(wr / nr).toFixed(2).padStart(6)}  ${same ? 'yes' : 'NO'}`);
}

console.log('\nScenario (a) as plain typed-array JavaScript (minimal models, not the full core):');
for (const [name, fn] of [['js event queue', jsEvents], ['js lindley (no events)', jsLindley]]) {
  const r = best(fn);
  console.log(`${name.padEnd(28)} ${String(r.requests).padStart(10)} ${fmt(r.requests / r.seconds)} M/s   mean latency ${r.meanLatencyMs.toFixed(3)} ms`);
}
const a = rows.find((r) => r.name.startsWith('a-'));
if (a) console.log(`${'wasm full core, (a)'.padEnd(28)} ${''.padStart(10)} ${fmt(a.wr)} M/s`);

const core = join(root, 'web/lab/core/stateless-lab-core');
const size = (ext) => {
  const bytes = readFileSync(core + ext);
  return { raw: bytes.length, gz: gzipSync(bytes, { level: 9 }).length, br: brotliCompressSync(bytes).length };
};
const mjs = size('.mjs'), wasmFile = size('.wasm');
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(`\nsize: .mjs ${mjs.raw} B (${mjs.gz} B gzip), .wasm ${wasmFile.raw} B (${wasmFile.gz} B gzip); ` +
            `total ${kib(mjs.gz + wasmFile.gz)} gzip -9, ${kib(mjs.br + wasmFile.br)} brotli`);
