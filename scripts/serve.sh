#!/usr/bin/env bash
# Builds everything, then serves build/site/ (exactly what ships) on
# http://127.0.0.1:${PORT:-8080}/ until stopped.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
exec node scripts/serve.mjs --port "${PORT:-8080}"
