#!/usr/bin/env bash
# Builds everything: the WebAssembly module (build/wasm, written to web/lab/core/), the
# shipped site (build/site/, from web/, lessons/ and the pinned npm packages) and the native
# core, CLI and tests (build/native). The wasm tree goes first so that the native CTest
# registers the suites that run on it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset wasm >/dev/null
cmake --build --preset wasm
node scripts/build-site.mjs
cmake --preset native >/dev/null
cmake --build --preset native
