#!/usr/bin/env bash
# Installs the Debian dependencies, builds xrecon, and runs the main pipeline on built-in
# simulated data (no files needed). Extra arguments go to `xrecon run` (e.g. --set ...).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
build=${XRECON_BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DXRECON_CUDA=${XRECON_CUDA:-AUTO}
cmake --build "$build" -j "$(nproc)" --target xrecon xrecon_plugin_sim xrecon_plugin_joint xrecon_plugin_ptycho \
  xrecon_plugin_tomo xrecon_plugin_prior xrecon_plugin_io
"$build"/engine/xrecon run configs/joint_ptycho_tomo_tomogan.yaml "$@"
