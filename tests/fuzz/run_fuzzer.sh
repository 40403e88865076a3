#!/usr/bin/env bash
# run_fuzzer.sh FUZZER SEED_CORPUS WORK_DIR SECONDS: runs one libFuzzer target for SECONDS on its
# seed corpus (read only) plus a working corpus under WORK_DIR (what it learns; kept between runs),
# and fails on a finding, whose input is left in WORK_DIR/artifacts/. Used by ctest -L fuzz and by
# scripts/fuzz.sh, through ctest, which sets the sanitizer options (tests/sanitizers).
set -euo pipefail
fuzzer=$1 seeds=$2 work=$3 seconds=$4
name=$(basename "$fuzzer")
mkdir -p "$work/corpus/$name" "$work/artifacts"
# One process, inputs up to 64 KiB (the seeds' limit), 2 GiB of memory: an allocation beyond that
# is a finding (sizes from a file must be checked before allocating, issue 13). -timeout: one
# input running longer than 10 s is a finding (a hang on hostile input).
exec "$fuzzer" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
  -print_final_stats=1 -artifact_prefix="$work/artifacts/$name-" "$work/corpus/$name" "$seeds"
