#!/usr/bin/env bash
# Runs the benchmarks (not tests: figures, side by side in one run). Needs a build first.
set -euo pipefail
cd "$(dirname "$0")/.."
build/native/tests/bench/bench_core
build/native/tests/bench/bench_core --theory
for b in tests/bench/*.mjs; do
  [ -f "$b" ] && node "$b"
done
