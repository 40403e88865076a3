#!/usr/bin/env bash
# The GPU truth kit's run (issue 14), on a lent GPU machine, in one call under 8 minutes: unpacks
# the bundle that scripts/gpu-bundle.sh made here, then
#   1. prints nvidia-smi and checks that every carried program starts on that image (when one
#      does not: which library is missing or which GLIBC/GLIBCXX version, from ldd and the loader);
#   2. runs every gpu-labelled GoogleTest program (a failure does not stop the rest);
#   3. runs compute-sanitizer memcheck on short filters of the ptycho, tomo and prior suites;
#   4. runs the GPU benchmarks with short minimum times, Google Benchmark JSON kept;
#   5. runs each shipped config on cuda:0 and on cpu and compares what they wrote;
#   6. runs xrecon devices and plugins,
# and asserts that the machine has a GPU and that no GPU test or benchmark skipped for a missing
# CUDA device: a run whose suites all skip fails. The summary table comes last on stdout; the
# logs (one .tar.gz), the benchmark JSON and the summary go under $OUT (at most 8 files).
#
# usage: scripts/gpu-check.sh [ARCHIVE] [--out DIR] [--budget SECONDS] [--steps LIST] [--expect-no-gpu]
#   ARCHIVE          default out/gpu-bundle/xrecon-gpu.tar.xz beside this script's repository
#   --out DIR        default $OUT (the device tool's folder), else out/gpu-check
#   --budget S       wall-clock seconds for everything (default 450: the device tool's call is
#                    given 540, and unpacking and packing the logs need a little)
#   --steps LIST     which of suites,memcheck,bench,configs to run (default all of them; a rerun
#                    in a second call can take only what the first left out of time)
#   --expect-no-gpu  the self-check's mode on a machine without a GPU: exits 0 only when the check
#                    fails for exactly that reason (GPU count 0, GPU tests skipped for it)
# Exit status: 0 when every step passed and the assertions hold, 1 otherwise.
# Under set -e every step's own failure is caught ("|| rc=$?", "|| true"): one broken step must
# not stop the others, and an unexpected stop still prints the summary (the EXIT trap).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/gpu-kit-common.sh
source "$repo/scripts/gpu-kit-common.sh"

archive="$repo/out/gpu-bundle/xrecon-gpu.tar.xz"
out_dir=${OUT:-$repo/out/gpu-check}
budget=450
expect_no_gpu=0
steps=suites,memcheck,bench,configs
while [ $# -gt 0 ]; do
  case "$1" in
    --steps) steps=${2:?--steps needs a list}; shift 2 ;;
    --out) out_dir=${2:?--out needs a folder}; shift 2 ;;
    --budget) budget=${2:?--budget needs seconds}; shift 2 ;;
    --expect-no-gpu) expect_no_gpu=1; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "gpu-check: unknown option $1" >&2; exit 2 ;;
    *) archive=$1; shift ;;
  esac
done

start=$(date +%s)
deadline=$((start + budget))
work="${TMPDIR:-/tmp}/xrecon-gpu-check.$$"
logs="$work/logs"
mkdir -p "$logs" "$out_dir"
out_dir=$(cd "$out_dir" && pwd)

# ---- the summary ------------------------------------------------------------------------------
# Statuses: PASS; FAIL; TIMEOUT; NOGPU (skipped or errored for a missing/unusable CUDA device: a
# failure on a GPU machine); NOTRUN (not in the bundle, a tool absent, or out of time); WARN.

rows=()
failures=0
nogpu_steps=0
record() { # NAME STATUS SECONDS DETAIL (the table keeps 220 characters of it; the logs have all)
  rows+=("$(printf '%-34s %-8s %5ss  %.220s' "$1" "$2" "$3" "$4")")
  case "$2" in
    FAIL | TIMEOUT) failures=$((failures + 1)) ;;
    NOGPU) nogpu_steps=$((nogpu_steps + 1)) ;;
  esac
  printf 'gpu-check: %-34s %-8s %5ss  %s\n' "$1" "$2" "$3" "$4"
}
now() { date +%s; }
wanted() { [[ ",$steps," == *",$1,"* ]]; }
# Seconds a step may take: its own limit, cut so that RESERVE seconds stay for the later steps.
# Prints nothing (and fails) when less than 10 seconds would be left.
step_limit() { # WANT RESERVE
  local left=$((deadline - $(now) - $2))
  [ "$left" -ge 10 ] || return 1
  if [ "$1" -lt "$left" ]; then echo "$1"; else echo "$left"; fi
}

gpu_count=-1
gpu_line="(not read)"
xrecon_gpus=-1
start_failures=0
finished=0

finish() {
  local rc=$? verdict reason
  [ "$finished" = 1 ] && return
  finished=1
  set +e
  # Everything but the benchmark JSON goes into one archive of logs: the device returns 8 files.
  tar -C "$work" -czf "$out_dir/gpu-check-logs.tar.gz" logs 2>/dev/null
  local elapsed=$(($(now) - start))
  verdict=PASS
  reason=""
  if [ "$gpu_count" -lt 1 ] || [ "$nogpu_steps" -gt 0 ] || [ "$failures" -gt 0 ] || [ "$start_failures" -gt 0 ] ||
    [ "$rc" != 0 ]; then
    verdict=FAIL
    reason="$failures failed/timed-out step(s), $nogpu_steps no-GPU step(s), $start_failures program(s)"
    reason="$reason that do not start, GPU count $gpu_count"
    [ "$rc" = 0 ] || reason="$reason, the script stopped with status $rc"
  fi
  {
    echo
    echo "== xrecon GPU check summary: bundle ${XRECON_BUNDLE_COMMIT:-?} (${XRECON_BUNDLE_DATE:-?}," \
      "${XRECON_BUNDLE_UNCOMMITTED_FILES:-?} uncommitted files), $(hostname), ${elapsed}s =="
    echo "device: $gpu_line"
    printf '%-34s %-8s %6s  %s\n' step status time detail
    printf '%s\n' "${rows[@]}"
    if [ "$gpu_count" -ge 1 ]; then
      printf '%-34s %-8s %6s  %s\n' "assert: GPU count >= 1" PASS - "$gpu_count GPU(s)"
    else
      printf '%-34s %-8s %6s  %s\n' "assert: GPU count >= 1" FAIL - "nvidia-smi: $gpu_count, xrecon devices: $xrecon_gpus"
    fi
    if [ "$nogpu_steps" = 0 ]; then
      printf '%-34s %-8s %6s  %s\n' "assert: no 'no CUDA device' skips" PASS - ""
    else
      printf '%-34s %-8s %6s  %s\n' "assert: no 'no CUDA device' skips" FAIL - "$nogpu_steps step(s) skipped for it"
    fi
    echo "RESULT: $verdict${reason:+ ($reason)}"
  } | tee "$out_dir/summary.txt"
  rm -rf "$work"
  if [ "$expect_no_gpu" = 1 ]; then
    # The self-check's question: did the check fail for the missing GPU, and for nothing else?
    if [ "$gpu_count" -le 0 ] && [ "$nogpu_steps" -gt 0 ] && [ "$failures" = 0 ] && [ "$start_failures" = 0 ] &&
      [ "$rc" = 0 ]; then
      echo "expect-no-gpu: the check failed as it must without a GPU (count $gpu_count, $nogpu_steps no-GPU steps)"
      exit 0
    fi
    echo "expect-no-gpu: the check did not fail the way a machine without a GPU must"
    exit 1
  fi
  [ "$verdict" = PASS ] && exit 0
  exit 1
}
trap finish EXIT
# An unexpected error stops the script (set -e); say where, the summary follows.
trap 'echo "gpu-check: stopped at line $LINENO: $BASH_COMMAND" >&2' ERR

# ---- 0. unpack --------------------------------------------------------------------------------

t0=$(now)
[ -f "$archive" ] || { record unpack FAIL 0 "no archive at $archive (carry it: benchmarks/README.md)"; exit 1; }
tar -C "$work" -xJf "$archive"
bundle="$work/xrecon-gpu"
# shellcheck source=/dev/null
source "$bundle/manifest.env"
record unpack PASS $(($(now) - t0)) "$(basename "$archive") ($(du -h "$archive" | awk '{print $1}')), commit $XRECON_BUNDLE_COMMIT"

# ---- 1. the machine, and whether our programs start on it ------------------------------------

t0=$(now)
if command -v nvidia-smi >/dev/null; then
  nvidia-smi >"$logs/nvidia-smi.txt" 2>&1 || true
  cat "$logs/nvidia-smi.txt"
  nvidia-smi --query-gpu=index,name,driver_version,memory.total,compute_cap --format=csv,noheader \
    >"$logs/gpus.csv" 2>/dev/null || true
  gpu_count=$(grep -c . "$logs/gpus.csv" || true)
  gpu_line="$(head -n 1 "$logs/gpus.csv" 2>/dev/null)${gpu_count:+ ($gpu_count GPU(s))}"
  record nvidia-smi "$([ "$gpu_count" -ge 1 ] && echo PASS || echo NOGPU)" $(($(now) - t0)) "$gpu_line"
else
  gpu_count=0
  record nvidia-smi NOGPU 0 "nvidia-smi is not on PATH: no NVIDIA driver here"
fi

# Where the device-provided CUDA libraries are on this image: its toolkit, the loader's cache, or
# the nvidia-* wheels beside PyTorch.
site_dirs=$(env -u LD_LIBRARY_PATH python3 -c 'import site, sys; print("\n".join(site.getsitepackages()))' 2>/dev/null || true)
search_roots=(/usr/local/cuda/lib64 /usr/local/cuda/lib /usr/local/cuda/targets/x86_64-linux/lib /usr/lib/x86_64-linux-gnu)
for d in $site_dirs; do [ -d "$d/nvidia" ] && search_roots+=("$d/nvidia"); done
# ldconfig lives in /sbin, which a scrubbed PATH lacks.
ldconfig_cmd=$(command -v ldconfig || true)
for candidate in /sbin/ldconfig /usr/sbin/ldconfig; do
  [ -z "$ldconfig_cmd" ] && [ -x "$candidate" ] && ldconfig_cmd=$candidate
done
loader_cache() {
  if [ -n "$ldconfig_cmd" ]; then "$ldconfig_cmd" -p 2>/dev/null || true; fi
}
find_device_lib() { # SONAME -> a path on this image
  local d hit
  for d in "${search_roots[@]}"; do
    hit=$(find -L "$d" -maxdepth 3 -name "$1" \( -type f -o -type l \) -print -quit 2>/dev/null)
    [ -n "$hit" ] && { echo "$hit"; return 0; }
  done
  loader_cache | awk -v n="$1" '$1 == n { print $NF; exit }'
}
lib_version_there() { # PATH -> its version: asked from the library itself, else its file or wheel name
  local real rec asked
  asked=$(env -u LD_LIBRARY_PATH python3 - "$1" <<'EOF' 2>/dev/null
import ctypes, os, sys
path = sys.argv[1]
name = os.path.basename(path)
lib = ctypes.CDLL(path)
if name.startswith("libcudnn.so"):
    v = lib.cudnnGetVersion()
    print(f"{v // 10000}.{v // 100 % 100}.{v % 100}")
elif name.startswith("libnccl"):
    v = ctypes.c_int()
    lib.ncclGetVersion(ctypes.byref(v))
    print(f"{v.value // 10000}.{v.value // 100 % 100}.{v.value % 100}")
elif name.startswith("libcufft"):
    v = ctypes.c_int()
    lib.cufftGetVersion(ctypes.byref(v))
    print(f"{v.value} (cufftGetVersion)")
EOF
  )
  [ -n "$asked" ] && { echo "$asked"; return; }
  real=$(readlink -f "$1")
  case "$(basename "$real")" in *.so.*.*) basename "$real" | sed 's/^.*\.so\.//'; return ;; esac
  rec=$(grep -l -F "$(basename "$1")" "$(dirname "$(dirname "$(dirname "$real")")")"/nvidia_*.dist-info/RECORD \
    "$(dirname "$(dirname "$(dirname "$(dirname "$real")")")")"/nvidia_*.dist-info/RECORD 2>/dev/null | sed -n 1p)
  if [ -n "$rec" ]; then basename "$(dirname "$rec")" | sed 's/\.dist-info$//; s/^nvidia_//'; else echo "?"; fi
}
device_dirs=""
{
  printf '%-40s %-12s %-26s %s\n' library ours there path
  while read -r name ours _ _; do
    [ -n "$name" ] || continue
    path=$(find_device_lib "$name")
    if [ -z "$path" ]; then
      printf '%-40s %-12s %-26s %s\n' "$name" "$ours" MISSING "-"
      continue
    fi
    printf '%-40s %-12s %-26s %s\n' "$name" "$ours" "$(lib_version_there "$path")" "$path"
    case ":$device_dirs:" in *":$(dirname "$path"):"*) ;; *) device_dirs="$device_dirs${device_dirs:+:}$(dirname "$path")" ;; esac
  done <"$bundle/device-libs.txt"
} >"$logs/device-libs.txt"
missing_device_libs=$(awk '$3 == "MISSING" { print $1 }' "$logs/device-libs.txt" | tr '\n' ' ')
cat "$logs/device-libs.txt"

# GCC's runtime: the machine's own where it has every version our programs need, else ours.
gcc_dir="$work/gcc-runtime"
mkdir -p "$gcc_dir"
gcc_choice=""
while read -r name tags; do
  [ -n "$name" ] || continue
  sys=$(loader_cache | awk -v n="$name" '$1 == n && /x86-64/ { print $NF; exit }' || true)
  use=ours
  if [ -n "$sys" ]; then
    use=system
    for tag in $tags; do grep -qaF "$tag" "$sys" || { use=ours; break; }; done
  fi
  [ "$use" = ours ] && ln -sf "$bundle/lib/gcc/$name" "$gcc_dir/$name"
  gcc_choice="$gcc_choice $name:$use"
done <"$bundle/gcc-needs.txt"

# Only the bundle's programs get the bundle's libraries: this image's own tools (python3, tar,
# grep) keep theirs.
ld_path="$bundle/lib:$gcc_dir${device_dirs:+:$device_dirs}"
benv=(env "LD_LIBRARY_PATH=$ld_path" "XRECON_PLUGIN_PATH=$bundle/plugins")
glibc_there=$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}' || true)
glibc_needed=$(tail -n 1 "$bundle/glibc-needs.txt" 2>/dev/null | sed 's/^GLIBC_//' || true)
{
  echo "bundle: commit $XRECON_BUNDLE_COMMIT, built $XRECON_BUNDLE_DATE on $XRECON_BUNDLE_HOST"
  echo "bundle: CUDA $XRECON_BUNDLE_CUDA (archs $XRECON_BUNDLE_CUDA_ARCHITECTURES), cuDNN $XRECON_BUNDLE_CUDNN," \
    "NCCL $XRECON_BUNDLE_NCCL, cuFFT $XRECON_BUNDLE_CUFFT, glibc $XRECON_BUNDLE_GLIBC"
  echo "image: $(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME"), glibc ${glibc_there:-?} (programs need" \
    "${glibc_needed:-?}), kernel $(uname -r), nvcc $(nvcc --version 2>/dev/null | sed -n 's/.*release \([0-9.]*\).*/\1/p')"
  echo "gcc runtime:${gcc_choice:- none carried}"
  echo "LD_LIBRARY_PATH for the bundle's programs: $ld_path"
} | tee "$logs/environment.txt"

# The build-tree and source paths compiled into the tests (XRECON_EXE, XRECON_SOURCE_DIR): placed
# here as links into the bundle where this machine has nothing at that path.
place() { # PATH TARGET
  if [ -e "$1" ] || [ -L "$1" ]; then
    echo "compiled-in path $1 exists here: used as it is" >>"$logs/environment.txt"
    return
  fi
  if mkdir -p "$(dirname "$1")" 2>/dev/null && ln -s "$2" "$1" 2>/dev/null; then
    echo "compiled-in path $1 -> $2" >>"$logs/environment.txt"
  else
    echo "compiled-in path $1 could not be made: tests that use it will fail" | tee -a "$logs/environment.txt"
  fi
}
place "$XRECON_BUNDLE_SOURCE_DIR" "$bundle/src"
place "$XRECON_BUNDLE_BUILD_DIR" "$bundle/build"
[ -d "$XRECON_BUNDLE_SOURCE_DIR/configs" ] ||
  echo "warning: $XRECON_BUNDLE_SOURCE_DIR/configs is absent: pipelines_gpu_tests will fail" | tee -a "$logs/environment.txt"
# Each program at its compiled-in build-tree path must now be the bundle's.
while read -r link; do
  rel=${link#"$bundle/build/"}
  [ -x "$XRECON_BUNDLE_BUILD_DIR/$rel" ] ||
    echo "warning: $XRECON_BUNDLE_BUILD_DIR/$rel does not lead to a program" | tee -a "$logs/environment.txt"
done < <(find "$bundle/build" -type l ! -name plugins)

# Does every program start? ldd names missing libraries; a start names GLIBC/GLIBCXX versions.
t0=$(now)
declare -A started=()
first_problem=""
: >"$logs/start-problems.txt"
for exe in "$bundle"/bin/* "$bundle"/plugins/*.so; do
  [ -f "$exe" ] || continue
  name=$(basename "$exe")
  missing=$("${benv[@]}" ldd "$exe" 2>&1 | awk '/not found/ { print $1 }' | sort -u | tr '\n' ' ' || true)
  loader=""
  if [ -z "$missing" ] && [ -x "$exe" ] && [[ "$exe" != *.so ]]; then
    if ! timeout 60 "${benv[@]}" "$exe" --help >"$logs/start-$name.txt" 2>&1; then
      loader=$(grep -m 2 -E 'error while loading|version .* not found|cannot open shared object|symbol lookup' \
        "$logs/start-$name.txt" | tr '\n' ' ' || true)
    fi
    rm -f "$logs/start-$name.txt"
  fi
  if [ -n "$missing$loader" ]; then
    start_failures=$((start_failures + 1))
    [ -n "$first_problem" ] || first_problem="$name: ${missing:+missing $missing}${loader:+${loader#*: }}"
    {
      echo "== $name does not start here"
      [ -n "$missing" ] && echo "missing libraries: $missing"
      [ -n "$loader" ] && echo "loader: $loader"
      "${benv[@]}" ldd "$exe" 2>&1 | grep -E 'not found|=> /' | grep -vE "=> $bundle/" | sed 's/^/  /' || true
    } >>"$logs/start-problems.txt"
  else
    started[$name]=1
  fi
done
if [ "$start_failures" = 0 ]; then
  record "programs start" PASS $(($(now) - t0)) "${#started[@]} programs and plugins load their libraries"
else
  cat "$logs/start-problems.txt"
  detail="$start_failures do not start (first: $first_problem); device libs missing here: ${missing_device_libs:-none};"
  record "programs start" FAIL $(($(now) - t0)) "$detail glibc here ${glibc_there:-?}, needed ${glibc_needed:-?}"
fi
starts_ok() { [ -n "${started[$1]:-}" ]; }

# xrecon devices first: its GPU count backs nvidia-smi's, and a CUDA that is there but unusable
# (a driver older than our runtime) is named in it.
if [ -x "$bundle/bin/xrecon" ] && starts_ok xrecon; then
  t0=$(now)
  timeout 60 "${benv[@]}" "$bundle/bin/xrecon" devices >"$logs/xrecon-devices.txt" 2>&1 || true
  cat "$logs/xrecon-devices.txt"
  xrecon_gpus=$(grep -cE '^cuda:[0-9]+:' "$logs/xrecon-devices.txt" || true)
  status=PASS
  [ "$xrecon_gpus" -ge 1 ] || status=NOGPU
  record "xrecon devices" "$status" $(($(now) - t0)) "$xrecon_gpus GPU(s); $(grep -m 1 -E '^cuda:0|no GPUs' "$logs/xrecon-devices.txt")"
fi

# ---- 2. the gpu-labelled suites ---------------------------------------------------------------

runners() { # KIND STEP: the runner lines of that kind, when the step is wanted
  if wanted "$2"; then grep -E "^$1 " "$bundle/runners.txt" || true; fi
}
while read -r _ name timeout_s _; do
  [ -n "$name" ] || continue
  if ! starts_ok "$name"; then record "suite $name" FAIL 0 "does not start (start-problems.txt)"; continue; fi
  limit=$(step_limit "$timeout_s" 170) || { record "suite $name" NOTRUN 0 "out of time"; continue; }
  t0=$(now)
  rc=0
  timeout -k 10 "$limit" "${benv[@]}" "$bundle/bin/$name" --gtest_output="json:$logs/$name.json" >"$logs/$name.log" 2>&1 || rc=$?
  counts=$(kit_gtest_counts "$logs/$name.log")
  reasons=${counts#*reasons=}
  read -r passed failed skipped <<<"$(kit_count_fields "$counts")"
  detail="$passed passed, $skipped skipped, $failed failed"
  status=PASS
  nogpu_reason=""
  IFS='|' read -r -a reason_list <<<"$reasons"
  for r in "${reason_list[@]}"; do
    [ -n "$r" ] || continue
    detail="$detail; skip: $r"
    kit_reason_means_no_gpu "$r" && nogpu_reason=$r
  done
  [ -n "$nogpu_reason" ] && status=NOGPU
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    status=TIMEOUT
    detail="killed after ${limit}s; $detail"
  elif [ "$rc" != 0 ] || [ "$failed" != 0 ]; then
    status=FAIL
    detail="exit $rc; $detail: $(grep -E '^\[  FAILED  \] .*\([0-9]+ ms\)$' "$logs/$name.log" | sed -n 1,3p |
      sed 's/^\[  FAILED  \] //; s/ ([0-9]* ms)$//' | tr '\n' ' ')"
  fi
  record "suite $name" "$status" $(($(now) - t0)) "$detail"
done < <(runners suite suites)

# ---- 3. compute-sanitizer memcheck on short filters ------------------------------------------

sanitizer=$(command -v compute-sanitizer || true)
[ -z "$sanitizer" ] && [ -x /usr/local/cuda/bin/compute-sanitizer ] && sanitizer=/usr/local/cuda/bin/compute-sanitizer
memcheck_filters=(
  "ptycho_gpu_tests Scans/PtychoCuda.*/square_no_padding:PtychoCudaAlgebra.*"
  "tomo_gpu_tests Geometries/TomoCuda.*/square_with_axes:Geometries/TomoCuda.*/partial_blocks:TomoCudaFilter.*"
  "prior_gpu_tests Golden/CudnnGolden.BareGraphMatchesPyTorchInFp32/0:Golden/CudnnGolden.BareGraphMatchesPyTorchInFp32/3"
)
wanted memcheck || memcheck_filters=()
for entry in "${memcheck_filters[@]}"; do
  name=${entry%% *}
  filter=${entry#* }
  step="memcheck $name"
  if [ ! -x "$bundle/bin/$name" ]; then record "$step" NOTRUN 0 "not in this bundle"; continue; fi
  if [ -z "$sanitizer" ]; then record "$step" NOTRUN 0 "compute-sanitizer is not installed here"; continue; fi
  if [ "$gpu_count" -lt 1 ]; then record "$step" NOTRUN 0 "no GPU"; continue; fi
  starts_ok "$name" || { record "$step" NOTRUN 0 "the program does not start"; continue; }
  limit=$(step_limit 60 120) || { record "$step" NOTRUN 0 "out of time"; continue; }
  t0=$(now)
  rc=0
  timeout -k 10 "$limit" "${benv[@]}" "$sanitizer" --tool memcheck --error-exitcode 86 --print-limit 20 \
    "$bundle/bin/$name" --gtest_filter="$filter" >"$logs/memcheck-$name.log" 2>&1 || rc=$?
  summary=$(grep -m 1 -E 'ERROR SUMMARY' "$logs/memcheck-$name.log" | sed 's/^========= //' || true)
  counts=$(kit_gtest_counts "$logs/memcheck-$name.log")
  read -r m_passed m_failed _ <<<"$(kit_count_fields "$counts")"
  ran=$((m_passed + m_failed))
  # The sanitizer's own complaints start with its "=========" prefix (test output does not).
  attach=$(grep -m 1 -iE '^========= .*(not supported|unable to|could not|failed to|error 999|Internal Sanitizer Error)' \
    "$logs/memcheck-$name.log" || true)
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    record "$step" WARN $(($(now) - t0)) "memcheck did not finish in ${limit}s (slow under the sanitizer, not a failure)"
  elif [ "$rc" = 86 ] || grep -qE 'ERROR SUMMARY: [1-9]' "$logs/memcheck-$name.log"; then
    record "$step" FAIL $(($(now) - t0)) "$summary: $(grep -m 1 -E '^========= (Invalid|Program hit|Uninitialized|Leaked|Race)' \
      "$logs/memcheck-$name.log" | sed 's/^========= //')"
  elif [ -z "$summary" ] || [ -n "$attach" ]; then
    record "$step" NOTRUN $(($(now) - t0)) "compute-sanitizer could not run here (exit $rc): ${attach:-no error summary}"
  elif [ "$ran" = 0 ]; then
    record "$step" NOTRUN $(($(now) - t0)) "the filter ran no test ($filter); ${counts#*reasons=}"
  elif [ "$rc" != 0 ]; then
    record "$step" FAIL $(($(now) - t0)) "exit $rc; $summary; ${counts%% reasons=*}"
  else
    record "$step" PASS $(($(now) - t0)) "$summary over $ran tests ($filter)"
  fi
done

# ---- 4. GPU benchmarks -------------------------------------------------------------------------

bench_json_summary() { # JSON -> one line per benchmark: name, time, the counters
  env -u LD_LIBRARY_PATH python3 - "$1" <<'EOF' 2>/dev/null || grep -E '"(name|real_time|time_unit|error_message)"' "$1"
import json, sys
for b in json.load(open(sys.argv[1])).get("benchmarks", []):
    if b.get("error_occurred"):
        print(f"  {b['name']}: ERROR {b.get('error_message', '')}")
        continue
    skip = {"name", "family_index", "per_family_instance_index", "run_name", "run_type", "repetitions",
            "repetition_index", "threads", "iterations", "real_time", "cpu_time", "time_unit", "aggregate_name"}
    counters = ", ".join(f"{k}={v:.4g}" for k, v in b.items() if k not in skip and isinstance(v, (int, float)))
    print(f"  {b['name']}: {b['real_time']:.4g} {b['time_unit']} ({b['iterations']} it){'; ' + counters if counters else ''}")
EOF
}
while read -r _ name timeout_s _; do
  [ -n "$name" ] || continue
  step="bench $name"
  if ! starts_ok "$name"; then record "$step" FAIL 0 "does not start (start-problems.txt)"; continue; fi
  limit=$(step_limit "$timeout_s" 60) || { record "$step" NOTRUN 0 "out of time"; continue; }
  t0=$(now)
  rc=0
  json="$out_dir/$name.json"
  # Google Benchmark 1.7 (the bundled one) takes the minimum time in plain seconds.
  timeout -k 10 "$limit" "${benv[@]}" "$bundle/bin/$name" --benchmark_min_time=0.05 --benchmark_repetitions=1 \
    --benchmark_out="$json" --benchmark_out_format=json >"$logs/$name.log" 2>&1 || rc=$?
  if [ ! -s "$json" ]; then
    status=FAIL
    [ "$rc" = 124 ] || [ "$rc" = 137 ] && status=TIMEOUT
    record "$step" "$status" $(($(now) - t0)) "exit $rc, no JSON: $(tail -n 2 "$logs/$name.log" | tr '\n' ' ')"
    continue
  fi
  bench_json_summary "$json" | tee "$logs/$name.summary.txt" || true
  total=$(grep -c '"name":' "$json" || true)
  errors=$(grep -c '"error_occurred": true' "$json" || true)
  message=$(grep -m 1 '"error_message"' "$json" | sed 's/.*"error_message": "\(.*\)",*$/\1/' || true)
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    record "$step" TIMEOUT $(($(now) - t0)) "killed after ${limit}s with $total benchmarks in $name.json"
  elif [ "$errors" -gt 0 ] && kit_reason_means_no_gpu "$message"; then
    record "$step" NOGPU $(($(now) - t0)) "$errors of $total: $message"
  elif [ "$errors" -gt 0 ] || [ "$rc" != 0 ]; then
    record "$step" FAIL $(($(now) - t0)) "exit $rc, $errors of $total errors: $message"
  else
    record "$step" PASS $(($(now) - t0)) "$total benchmarks -> $name.json"
  fi
done < <(runners bench bench)

# ---- 5. the shipped configs on cuda:0 against cpu -------------------------------------------

compare_outputs() { # CPU_DIR GPU_DIR -> "max |diff| A (relative R) over N arrays" or why not
  env -u LD_LIBRARY_PATH python3 - "$1" "$2" <<'EOF' 2>&1 | tail -n 1
import os, sys
try:
    import h5py, numpy as np
except ImportError as e:
    print(f"outputs not compared (python3 has no {e.name})")
    sys.exit(0)
cpu, gpu = sys.argv[1], sys.argv[2]
worst = scale = 0.0
count = 0
for root, _, files in os.walk(cpu):
    for f in files:
        if not f.endswith((".h5", ".cxi")):
            continue
        a_path = os.path.join(root, f)
        b_path = os.path.join(gpu, os.path.relpath(a_path, cpu))
        if not os.path.exists(b_path):
            print(f"{os.path.relpath(a_path, cpu)}: written on cpu only")
            sys.exit(0)
        with h5py.File(a_path, "r") as a, h5py.File(b_path, "r") as b:
            names = []
            a.visititems(lambda n, o: names.append(n) if isinstance(o, h5py.Dataset) else None)
            for n in names:
                if n not in b or a[n].shape != b[n].shape or a[n].dtype.kind not in "fciu":
                    continue
                x, y = np.asarray(a[n][()], dtype=np.complex128), np.asarray(b[n][()], dtype=np.complex128)
                worst = max(worst, float(np.max(np.abs(x - y), initial=0)))
                scale = max(scale, float(np.max(np.abs(x), initial=0)))
                count += 1
print(f"max |diff| {worst:.3g} (relative {worst / scale if scale else 0:.3g}) over {count} arrays")
EOF
}
if ! wanted configs; then
  :
elif [ ! -x "$bundle/bin/xrecon" ] || ! starts_ok xrecon; then
  record configs NOTRUN 0 "xrecon is not in this bundle or does not start"
elif [ "$gpu_count" -lt 1 ]; then
  record configs NOTRUN 0 "no GPU: nothing to compare"
else
  for config in "$bundle"/src/configs/*.yaml; do
    name=$(basename "$config" .yaml)
    step="config $name"
    t0=$(now)
    declare -A rcs=() secs=()
    for dev in cpu cuda:0; do
      dir="$work/configs/$name/${dev%%:*}"
      mkdir -p "$dir"
      ln -sfn "$bundle/src/configs" "$dir/configs"
      ln -sfn "$bundle/src/models" "$dir/models"
      limit=$(step_limit 40 25) || { rcs[$dev]=notrun; continue; }
      s0=$(now)
      rc=0
      (cd "$dir" && timeout -k 5 "$limit" "${benv[@]}" "$bundle/bin/xrecon" run "configs/$name.yaml" --devices "$dev") \
        >"$logs/config-$name-${dev%%:*}.log" 2>&1 || rc=$?
      rcs[$dev]=$rc
      secs[$dev]=$(($(now) - s0))
    done
    last_gpu=$(grep -v '^\s*$' "$logs/config-$name-cuda.log" 2>/dev/null | tail -n 1 | cut -c1-120 || true)
    last_cpu=$(grep -v '^\s*$' "$logs/config-$name-cpu.log" 2>/dev/null | tail -n 1 | cut -c1-120 || true)
    if [ "${rcs[cpu]:-notrun}" = notrun ] || [ "${rcs[cuda:0]:-notrun}" = notrun ]; then
      record "$step" NOTRUN $(($(now) - t0)) "out of time"
    elif [ "${rcs[cpu]}" != 0 ]; then
      record "$step" FAIL $(($(now) - t0)) "fails on cpu too (exit ${rcs[cpu]}): $last_cpu"
    elif [ "${rcs[cuda:0]}" != 0 ]; then
      status=FAIL
      [ "${rcs[cuda:0]}" = 124 ] && status=TIMEOUT
      record "$step" "$status" $(($(now) - t0)) "cuda:0 exit ${rcs[cuda:0]} (cpu passed): $last_gpu"
    else
      diff=$(compare_outputs "$work/configs/$name/cpu" "$work/configs/$name/cuda" || true)
      status=PASS
      rel=$(sed -n 's/.*(relative \([^)]*\)).*/\1/p' <<<"$diff")
      [ -n "$rel" ] && awk -v r="$rel" 'BEGIN { exit !(r > 1e-2) }' && status=WARN
      record "$step" "$status" $(($(now) - t0)) "cpu ${secs[cpu]}s, cuda:0 ${secs[cuda:0]}s; $diff; last: $last_gpu"
    fi
    unset rcs secs
  done
fi

# ---- 6. xrecon plugins, and the files that go back ---------------------------------------------

if [ -x "$bundle/bin/xrecon" ] && starts_ok xrecon; then
  t0=$(now)
  if timeout 60 "${benv[@]}" "$bundle/bin/xrecon" plugins >"$logs/xrecon-plugins.txt" 2>&1; then
    record "xrecon plugins" PASS $(($(now) - t0)) "$(grep -cE '^[a-z]' "$logs/xrecon-plugins.txt") plugins"
  else
    record "xrecon plugins" FAIL $(($(now) - t0)) "$(head -n 2 "$logs/xrecon-plugins.txt" | tr '\n' ' ')"
  fi
fi
# The device returns at most 8 files: the summary, the logs archive and up to 6 benchmark JSON.
count=$(find "$out_dir" -maxdepth 1 -type f -name '*.json' | wc -l)
if [ "$count" -gt 6 ]; then
  find "$out_dir" -maxdepth 1 -type f -name '*.json' | sort | tail -n +7 | while read -r f; do mv "$f" "$logs/"; done
fi
