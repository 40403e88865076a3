#!/usr/bin/env bash
# run_fuzzer.sh FUZZER SEED_CORPUS WORK_DIR SECONDS: runs one libFuzzer target for SECONDS on its
# seed corpus (read only) plus a working corpus under WORK_DIR (what it learns; kept between runs),
# and fails on a finding, whose input is left in WORK_DIR/artifacts/. Used by ctest -L fuzz and by
# scripts/fuzz.sh, through ctest, which sets the sanitizer options (tests/sanitizers).
#
# Findings inside the HDF5 library itself are not ours to fix: Debian's HDF5 1.10 crashes on some
# damaged files (a wild free while releasing a corrupt dense link table in H5Literate, an
# overlapping memcpy) and loops forever on others (reading a variable-length string attribute
# through a corrupt global heap) or allocates gigabytes of its own in H5Dread for a damaged type.
# A crash, memory error, hang or oversized allocation whose first frame outside the
# sanitizer runtime, libFuzzer and libc is in libhdf5 (and, for a report with an "allocated by"
# stack, whose memory HDF5 allocated) is reported as such, its input kept in
# WORK_DIR/hdf5-findings/, and fuzzing goes on for the rest of the time. Any finding with an
# xrecon frame first fails.
set -euo pipefail
fuzzer=$1 seeds=$2 work=$3 seconds=$4
name=$(basename "$fuzzer")
mkdir -p "$work/corpus/$name" "$work/artifacts" "$work/hdf5-findings"
log=$work/$name.log

# The first frame of the report's first stack (and of its "allocated by" stack, when it has one)
# that is neither the sanitizer runtime, libFuzzer, nor libc: is it in libhdf5?
first_frames_in_hdf5() {
  awk '
    /^ +#[0-9]+ / {
      if ($0 ~ /__asan|__sanitizer|__interceptor|__lsan|in (malloc|calloc|realloc|free|memcpy|memmove|memset) |in __mem(cpy|move|set)_|sysdeps\/|libc\.so|libasan|fuzzer::/) next
      if (!(section in seen)) { seen[section] = 1; if ($0 !~ /libhdf5/) bad = 1; checked++ }
      next
    }
    /^(allocated by|freed by|previously allocated by)/ { section++ }
    /^SUMMARY:/ { exit }
    END { exit (checked > 0 && !bad) ? 0 : 1 }' "$1"
}

start=$SECONDS
while :; do
  left=$((seconds - (SECONDS - start)))
  [ "$left" -gt 0 ] || exit 0
  # One process, inputs up to 64 KiB (the seeds' limit), 2 GiB of memory: an allocation beyond
  # that is a finding (sizes from a file must be checked before allocating, issue 13). -timeout:
  # one input running longer than 10 s is a finding (a hang on hostile input).
  rc=0
  "$fuzzer" -max_total_time="$left" -max_len=65536 -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/$name-" "$work/corpus/$name" "$seeds" > "$log" 2>&1 || rc=$?
  cat "$log"
  [ "$rc" -ne 0 ] || exit 0
  if grep -qE "ERROR: AddressSanitizer|ERROR: libFuzzer: (timeout|out-of-memory)" "$log" && first_frames_in_hdf5 "$log"; then
    input=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
    [ -z "$input" ] || mv "$input" "$work/hdf5-findings/"
    echo "run_fuzzer: the finding above is inside the HDF5 library, not xrecon (input kept in" \
      "$work/hdf5-findings/); fuzzing on"
    continue
  fi
  echo "run_fuzzer: $name found a fault; the input is in $work/artifacts/ (replay: $fuzzer FILE)"
  exit "$rc"
done
