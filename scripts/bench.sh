#!/usr/bin/env bash
# Runs the benchmarks (not tests: figures, side by side in one run). Needs a build first
# (bash scripts/build.sh). SL_BENCH_REPEAT=N takes the best of N runs (default 3).
#  1. bench_core: the native core on the benchmark scenarios, and memory over 1e7 requests;
#  2. wasm-vs-native.mjs: native and WebAssembly on the same scenarios and the plain one, the
#     tuned C++ and JS models of the plain scenario, every speed and size target next to its
#     measurement, and the module's size;
#  3. simulation next to queueing theory; the widget's frame times in headless Chromium and
#     the bytes per second it takes from the core;
#  4. what an embedding page loads, the site and tarball sizes, and a sweep's wall time.
set -euo pipefail
cd "$(dirname "$0")/.."
build/native/tests/bench/bench_core
node tests/bench/wasm-vs-native.mjs
build/native/tests/bench/bench_core --theory
node tests/bench/frames.mjs
node tests/bench/core-traffic.mjs
node tests/bench/embed-cost.mjs
node tests/bench/sweep-wall.mjs
