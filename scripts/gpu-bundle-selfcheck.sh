#!/usr/bin/env bash
# The bundle's check of itself, here, on a machine without a GPU (scripts/gpu-bundle.sh runs it
# after packing; it also runs on its own). The archive is unpacked into an empty folder, and each
# program runs with a scrubbed environment: only PATH=/usr/bin:/bin and the bundle's library path.
#   1. Every program, plugin and carried library resolves each library it needs from the bundle,
#      glibc, the driver, or the CUDA libraries the device provides; anything else (a library
#      this machine has and the device image lacks) fails the check, even though it would load here.
#   2. Every program starts: GoogleTest programs list their tests and then run for real, where
#      every GPU test must skip for "no CUDA device" and none may fail; benchmarks list theirs;
#      xrecon lists its plugins and devices.
#   3. scripts/gpu-check.sh runs on the bundle as it will on the device, and must fail for the
#      reason it should here: no GPU, with the GPU tests skipped for it.
# usage: scripts/gpu-bundle-selfcheck.sh ARCHIVE
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/gpu-kit-common.sh
source "$repo/scripts/gpu-kit-common.sh"

archive=${1:?usage: gpu-bundle-selfcheck.sh ARCHIVE}
[ -f "$archive" ] || { echo "self-check: no archive $archive" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/xrecon-bundle-check.XXXXXX")
trap 'rm -rf "$work"' EXIT
problems=0
fail() {
  echo "self-check: FAIL: $*" >&2
  problems=$((problems + 1))
}
say() { echo "self-check: $*"; }

tar -C "$work" -xJf "$archive"
bundle="$work/xrecon-gpu"
[ -f "$bundle/runners.txt" ] || { echo "self-check: FAIL: $archive holds no xrecon-gpu/runners.txt" >&2; exit 1; }
mkdir -p "$work/home" "$work/run"

scrubbed() { # COMMAND...: with nothing from the caller's environment but PATH and the bundle's libraries
  env -i PATH=/usr/bin:/bin HOME="$work/home" LD_LIBRARY_PATH="$bundle/lib:$bundle/lib/gcc" \
    XRECON_PLUGIN_PATH="$bundle/plugins" "$@"
}

# ---- 1. where every library comes from -------------------------------------------------------

elfs=()
for f in "$bundle"/bin/* "$bundle"/plugins/*.so "$bundle"/lib/*.so* "$bundle"/lib/gcc/*.so*; do
  [ -f "$f" ] && elfs+=("$f")
done
device_seen=""
for elf in "${elfs[@]}"; do
  while IFS= read -r line; do
    name=$(awk '{print $1}' <<<"$line")
    case "$line" in
      *"=> not found"*) fail "${elf#"$bundle"/} needs $name: not in the bundle and not on this machine" ;;
      *" => "*)
        path=$(awk '{print $3}' <<<"$line")
        if [[ "$path" == "$bundle"/* ]] || kit_is_glibc "$name" || kit_is_driver "$name"; then continue; fi
        if kit_is_device_provided "$name"; then
          device_seen="$device_seen $name"
          grep -q "^$name " "$bundle/device-libs.txt" ||
            fail "${elf#"$bundle"/} needs $name, which device-libs.txt does not list for the device to provide"
          continue
        fi
        fail "${elf#"$bundle"/} loads $name from $path: this machine's copy, not the bundle's" ;;
    esac
  done < <(scrubbed ldd "$elf" 2>&1)
done
say "libraries: ${#elfs[@]} programs, plugins and libraries resolve within the bundle, glibc and" \
  "$(tr ' ' '\n' <<<"$device_seen" | sed '/^$/d' | sort -u | wc -l) device-provided CUDA libraries"

# ---- 2. every program starts ------------------------------------------------------------------

cd "$work/run"  # not the source or build tree: nothing is found there by accident
while read -r kind name _ label; do
  case "$kind" in "" | "#"*) continue ;; esac
  exe="$bundle/bin/$name"
  log="$work/$name.log"
  case "$kind" in
    suite)
      if ! scrubbed timeout 120 "$exe" --gtest_list_tests >"$log" 2>&1; then
        fail "$name does not start: $(grep -m 3 -iE 'error|not found|cannot' "$log" | tr '\n' ' ')"
        continue
      fi
      listed=$(grep -c '^  ' "$log" || true)
      [ "$listed" -gt 0 ] || { fail "$name lists no tests"; continue; }
      rc=0
      scrubbed timeout 600 "$exe" >"$log" 2>&1 || rc=$?
      counts=$(kit_gtest_counts "$log")
      reasons=${counts#*reasons=}
      read -r passed failed skipped <<<"$(kit_count_fields "$counts")"
      if [ "$rc" != 0 ] || [ "$failed" != 0 ]; then
        fail "$name: exit $rc, $failed failed: $(grep -m 3 -E '^\[  FAILED  \]|error' "$log" | tr '\n' ' ')"
        continue
      fi
      # Here a test may skip only for the missing GPU, and the GPU suites must skip some.
      IFS='|' read -r -a reason_list <<<"$reasons"
      for r in "${reason_list[@]}"; do
        [ -z "$r" ] && continue
        kit_reason_means_no_gpu "$r" || fail "$name skipped a test for another reason than a missing GPU: $r"
      done
      if [ "$label" = gpu ] && [ "$skipped" = 0 ]; then
        fail "$name ran $passed GPU tests without skipping any on a machine without a GPU"
      fi
      say "$name: $listed tests listed; run: $passed passed, $skipped skipped (${reasons:-no reason}), 0 failed"
      ;;
    bench)
      if ! scrubbed timeout 120 "$exe" --benchmark_list_tests >"$log" 2>&1; then
        fail "$name does not start: $(grep -m 3 -iE 'error|not found|cannot' "$log" | tr '\n' ' ')"
        continue
      fi
      listed=$(grep -c . "$log" || true)
      [ "$listed" -gt 0 ] || { fail "$name lists no benchmarks"; continue; }
      say "$name: $listed benchmarks listed"
      ;;
    cli)
      if ! scrubbed timeout 120 "$exe" plugins >"$log" 2>&1; then
        fail "$name plugins failed: $(head -n 3 "$log" | tr '\n' ' ')"
        continue
      fi
      for p in "$bundle"/plugins/*.so; do
        [ -e "$p" ] || continue
        short=$(basename "$p" .so)
        short=${short#xrecon_plugin_}
        grep -q "$short" "$log" || fail "xrecon plugins does not show the bundled plugin $short"
      done
      plugin_count=$(find "$bundle/plugins" -name '*.so' | wc -l)
      if ! scrubbed timeout 120 "$exe" devices >"$log" 2>&1; then
        fail "$name devices failed: $(head -n 3 "$log" | tr '\n' ' ')"
        continue
      fi
      say "$name: plugins lists the $plugin_count bundled plugins; devices says: $(grep -m 1 'GPU' "$log")"
      ;;
    *) fail "runners.txt: unknown kind '$kind' for $name" ;;
  esac
done <"$bundle/runners.txt"

# ---- 3. the device check, as it runs there ----------------------------------------------------

say "running scripts/gpu-check.sh on the bundle; it must fail here for having no GPU"
rc=0
env -i PATH=/usr/bin:/bin HOME="$work/home" TMPDIR="$work" bash "$repo/scripts/gpu-check.sh" "$archive" \
  --out "$work/check-out" --budget 300 --expect-no-gpu >"$work/gpu-check.log" 2>&1 || rc=$?
sed -n '/^== xrecon GPU check summary/,$p' "$work/gpu-check.log" | sed 's/^/  | /'
if [ "$rc" != 0 ]; then
  tail -n 30 "$work/gpu-check.log" >&2
  fail "gpu-check.sh --expect-no-gpu exited $rc: it did not fail the way a machine without a GPU must"
fi
files=$(find "$work/check-out" -type f | wc -l)
[ "$files" -le 8 ] || fail "gpu-check.sh left $files files under its output folder; the device returns at most 8"
say "gpu-check.sh wrote $files files: $(cd "$work/check-out" && find . -type f -printf '%P ' | sort)"

if [ "$problems" -gt 0 ]; then
  echo "self-check: $problems problem(s) in $archive" >&2
  exit 1
fi
say "PASS: $archive ($(du -h "$archive" | awk '{print $1}'))"
