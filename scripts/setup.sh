#!/usr/bin/env bash
# Installs what the build and the tests need, and nothing that is already there:
# Debian packages (emscripten, nlohmann-json, Catch2, CMake, Ninja, Chromium) and the pinned
# npm packages (npm ci). Safe to run again. Sourced by serve.sh and test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v cmake >/dev/null || need_apt+=(cmake)
command -v ninja >/dev/null || need_apt+=(ninja-build)
command -v g++ >/dev/null || need_apt+=(g++)
command -v emcc >/dev/null || need_apt+=(emscripten)
command -v node >/dev/null || need_apt+=(nodejs npm)
[ -f /usr/include/nlohmann/json.hpp ] || need_apt+=(nlohmann-json3-dev)
[ -f /usr/include/catch2/catch.hpp ] || need_apt+=(catch2)
if [ "${SL_SKIP_BROWSER:-0}" != 1 ]; then
  command -v chromium >/dev/null || need_apt+=(chromium)
fi
# The libFuzzer target (tests/fuzz, label fuzz) is optional: its clang and runtime only when asked.
if [ "${SL_FUZZ:-0}" = 1 ]; then
  command -v clang++ >/dev/null || need_apt+=(clang)
  ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 || need_apt+=(libclang-rt-14-dev)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]}"
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# npm ci only when node_modules is missing or older than the lock file.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
