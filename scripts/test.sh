#!/usr/bin/env bash
# Installs the Debian dependencies, builds everything (CUDA code too when the toolkit is present),
# and runs the test suite. GPU tests skip with a reason when no GPU is present.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
build=${XRECON_BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DXRECON_CUDA=${XRECON_CUDA:-AUTO}
cmake --build "$build" -j "$(nproc)"
ctest --test-dir "$build" --output-on-failure -j "$(nproc)" "$@"
