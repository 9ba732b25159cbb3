#!/usr/bin/env bash
# Builds both trees and runs every suite through CTest: native Catch2, Catch2 compiled to
# WebAssembly under node, node:test suites, browser tests and lesson validation.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
ctest --preset native "$@"
