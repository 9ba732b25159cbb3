#!/usr/bin/env bash
# Builds everything: the WebAssembly module (build/wasm, written to web/lab/core/ with its
# names as a JS module and as TypeScript types), the shipped site (build/site/, from web/,
# lessons/ and the pinned npm packages) and the native core, CLI and tests (build/native). The
# wasm tree goes first so that the native CTest registers the suites that run on it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset wasm >/dev/null
cmake --build --preset wasm
# Each link of the core writes its name types (scripts/write-vocabulary.mjs), but a core that is
# up to date is not linked again: write them here too (unchanged text leaves the file alone).
node scripts/vocabulary-dts.mjs
node scripts/build-site.mjs
cmake --preset native >/dev/null
cmake --build --preset native
