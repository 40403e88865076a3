#!/usr/bin/env bash
# Runs every benchmark program of a build and stores the raw Google Benchmark JSON under
# benchmarks/results/, named by date, device and commit, so runs can be compared later.
# usage: benchmarks/run.sh [BUILD_DIR] [DEVICE_LABEL]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
device=${2:-cpu-$(nproc)core}
commit=$(git rev-parse --short HEAD)
stamp=$(date -u +%Y-%m-%d)
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-passive}
for bench in "$build"/benchmarks/bench_*; do
  [ -x "$bench" ] || continue
  name=$(basename "$bench")
  out="benchmarks/results/${stamp}_${device}_${commit}_${name}.json"
  "$bench" --benchmark_min_time=0.5 --benchmark_out="$out" --benchmark_out_format=json
  echo "wrote $out"
done
