#!/usr/bin/env node
// Requests simulated per CPU second by the WebAssembly build in node and by the native build,
// side by side in one run: the three benchmark scenarios (tests/bench/scenarios/*.json) and the
// plain scenario (plain-mm16.json), next to the tuned models of the plain scenario in C++
// (tuned_model.cpp) and in JavaScript (tuned-model.mjs); then each speed and size target next to
// its measurement, and the gzipped size of the module. A benchmark, not a test: figures only
// (scripts/bench.sh runs it after a native and a wasm build).
//
//   node tests/bench/wasm-vs-native.mjs [scenario.json ...]
//   SL_BENCH_REPEAT=3     best of N runs (the machine is shared and noisy)
//   SL_NATIVE_CLI=path    native CLI to measure (default build/native/stateless-lab)
//   SL_LAB=path           JS API module to measure (default web/lab/stateless-lab.mjs), e.g. of
//                         another checkout, for before/after figures
// Times are CPU seconds (user + system; needs GNU time for the native programs), not wall time.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';

import { PLAIN, runTunedModel } from './tuned-model.mjs';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const nativeCli = process.env.SL_NATIVE_CLI || join(root, 'build/native/stateless-lab');
const tunedCpp = process.env.SL_TUNED_MODEL || join(root, 'build/native/tests/bench/tuned_model');
const labModule = resolve(process.env.SL_LAB || join(root, 'web/lab/stateless-lab.mjs'));
const { loadLab } = await import(pathToFileURL(labModule).href);
const repeat = Math.max(1, Number(process.env.SL_BENCH_REPEAT) || 3);
const scenarioDir = join(root, 'tests/bench/scenarios');
const plainFile = join(root, 'tests/bench/plain-mm16.json');
const files = process.argv.length > 2 ? process.argv.slice(2)
  : [...readdirSync(scenarioDir).filter((f) => f.endsWith('.json')).sort().map((f) => join(scenarioDir, f)), plainFile];

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

/** A native program's stdout and CPU seconds (under GNU time; wall seconds without it). */
function runTimed(program, args) {
  const t0 = process.hrtime.bigint();
  const r = gnuTime
    ? spawnSync('/usr/bin/time', ['-f', '%U %S', program, ...args], { maxBuffer: 64 << 20 })
    : spawnSync(program, args, { maxBuffer: 64 << 20 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${program} ${args.join(' ')}: ${r.stderr}`);
  const [user, system] = r.stderr.toString().trim().split('\n').pop().split(' ').map(Number);
  return { stdout: r.stdout, seconds: gnuTime ? user + system : wall };
}

function runNative(file) {
  const { stdout, seconds } = runTimed(nativeCli, ['run', file]);
  const results = JSON.parse(stdout);
  return { requests: results.requests.arrived, results, seconds };
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
  rows.push({ name: basename(file, '.json'), nr, wr, same });
  console.log(`${basename(file, '.json').padEnd(28)} ${String(native.requests).padStart(10)} ${fmt(nr)} ${fmt(wr)} ${(wr / nr).toFixed(2).padStart(6)}  ${same ? 'yes' : 'NO'}`);
}

console.log(`\nTuned models of the plain scenario (M/M/16 round robin, 10 ms, load 0.9, ${PLAIN.requests} requests):`);
const tunedJs = best(() => {
  const r = runTunedModel();
  return { requests: r.arrived, meanMs: r.meanLatencyS * 1e3 };
});
let tunedC = null;
if (existsSync(tunedCpp)) {
  tunedC = best(() => {
    const { stdout, seconds } = runTimed(tunedCpp, []);
    const r = JSON.parse(stdout);
    return { requests: r.requests, meanMs: r.mean_latency_ms, seconds };
  });
}
for (const [name, r] of [['tuned C++ model', tunedC], ['tuned JS model', tunedJs]]) {
  if (r) console.log(`${name.padEnd(28)} ${String(r.requests).padStart(10)} ${fmt(r.requests / r.seconds)} M/s   mean latency ${r.meanMs.toFixed(3)} ms`);
  else console.log(`${name.padEnd(28)} not built (${tunedCpp})`);
}

const core = join(dirname(labModule), 'core/stateless-lab-core');
const size = (ext) => {
  const bytes = readFileSync(core + ext);
  return { raw: bytes.length, gz: gzipSync(bytes, { level: 9 }).length, br: brotliCompressSync(bytes).length };
};
const mjs = size('.mjs'), wasmFile = size('.wasm');
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(`\nsize: .mjs ${mjs.raw} B (${mjs.gz} B gzip), .wasm ${wasmFile.raw} B (${wasmFile.gz} B gzip); ` +
            `total ${kib(mjs.gz + wasmFile.gz)} gzip -9, ${kib(mjs.br + wasmFile.br)} brotli`);

// Each speed and size target next to its measurement.
const plain = rows.find((r) => r.name === basename(plainFile, '.json'));
const target = (what, goal, got, ok) => console.log(`${what.padEnd(44)} ${goal.padStart(10)} ${got.padStart(10)}  ${ok ? 'met' : 'NOT met'}`);
console.log(`\n${'target'.padEnd(44)} ${'goal'.padStart(10)} ${'measured'.padStart(10)}`);
if (plain) {
  const js = tunedJs.requests / tunedJs.seconds;
  target('WASM in node / tuned JS model (plain)', '>= 1.50', (plain.wr / js).toFixed(2), plain.wr / js >= 1.5);
  if (tunedC) {
    const c = tunedC.requests / tunedC.seconds;
    target('native / tuned C++ model (plain)', '>= 0.80', (plain.nr / c).toFixed(2), plain.nr / c >= 0.8);
  }
}
const worst = rows.reduce((w, r) => (!w || r.wr / r.nr < w.wr / w.nr ? r : w), null);
if (worst) target(`WASM / native (lowest: ${worst.name})`, '>= 0.60', (worst.wr / worst.nr).toFixed(2), worst.wr / worst.nr >= 0.6);
target('WASM and native results identical', 'all', rows.every((r) => r.same) ? 'all' : 'NOT all', rows.every((r) => r.same));
const total = mjs.gz + wasmFile.gz;
// 100 KB read as 100,000 bytes, the stricter of its two readings.
target('.wasm + .mjs, gzip -9', '<= 100000 B', `${total} B`, total <= 100000);
console.log('memory flat over 1e7 requests: see bench_core (scripts/bench.sh prints it first)');
