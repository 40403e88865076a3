#!/usr/bin/env bash
# Packs everything a GPU run needs into one compressed archive that travels to a lent GPU machine
# (issue 14), then checks the archive here: unpacked into an empty folder and run with a scrubbed
# environment, every program must start from the bundle's own libraries, and the GPU suites must
# skip for "no CUDA device" (this machine has none).
#
# The device machine has CUDA 13 and the driver but none of our Debian libraries, no package
# registry, and takes at most 64 MiB with the working tree. So the bundle holds:
#   bin/      the gpu-labelled test programs, the GPU benchmarks and the xrecon CLI (stripped)
#   plugins/  the plugin modules (XRECON_PLUGIN_PATH points here)
#   lib/      every shared library they load except glibc, the driver and the big CUDA libraries
#             (scripts/gpu-kit-common.sh says why those three stay); lib/gcc/ holds GCC's runtime
#   src/      configs/, models/ and the test data the programs read
#   build/    the build-tree paths compiled into the tests (XRECON_EXE, ...) as links into bin/
#   runners.txt, manifest.env, device-libs.txt, gcc-needs.txt, glibc-needs.txt: read by gpu-check.sh
# No RPATH is relied on: gpu-check.sh sets LD_LIBRARY_PATH (it outranks the RUNPATH that CMake
# leaves in the binaries, which names folders of this machine only).
#
# usage: scripts/gpu-bundle.sh [--build-dir DIR] [--only PROGRAM] [--skip-build] [--output FILE]
#                              [--max-mib N] [--no-self-check]
#   --build-dir DIR  CMake build folder (default $XRECON_GPU_BUILD_DIR or build-gpu), configured
#                    Release with -DXRECON_CUDA=ON (sm_90 + PTX, cmake/XreconCuda.cmake)
#   --only PROGRAM   a small bundle of one program (a test, a benchmark or xrecon), for CI
#   --skip-build     use what the build folder holds; build nothing
#   --output FILE    the archive (default out/gpu-bundle/xrecon-gpu.tar.xz, or
#                    out/gpu-bundle/xrecon-gpu-PROGRAM.tar.xz with --only)
#   --max-mib N      fail when the archive is larger (default 60)
# Environment: XRECON_BUILD_JOBS (default nproc) for the build.
# pipefail: a reader that stops early (head) would fail its writer with SIGPIPE, so lists are cut
# with sed -n, which reads to the end.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/gpu-kit-common.sh
source "$repo/scripts/gpu-kit-common.sh"

build_dir=${XRECON_GPU_BUILD_DIR:-build-gpu}
only=""
skip_build=0
self_check=1
output=""
max_mib=60
jobs=${XRECON_BUILD_JOBS:-$(nproc)}

die() {
  echo "gpu-bundle: error: $*" >&2
  exit 1
}
say() { echo "gpu-bundle: $*"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) build_dir=${2:?--build-dir needs a folder}; shift 2 ;;
    --only) only=${2:?--only needs a program name}; shift 2 ;;
    --skip-build) skip_build=1; shift ;;
    --output) output=${2:?--output needs a file}; shift 2 ;;
    --max-mib) max_mib=${2:?--max-mib needs a number}; shift 2 ;;
    --no-self-check) self_check=0; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

case "$build_dir" in /*) ;; *) build_dir="$repo/$build_dir" ;; esac
if [ -z "$output" ]; then
  output="$repo/out/gpu-bundle/xrecon-gpu${only:+-$only}.tar.xz"
fi
case "$output" in /*) ;; *) output="$PWD/$output" ;; esac

for tool in cmake ldd strip readelf tar xz awk; do
  command -v "$tool" >/dev/null || die "'$tool' is needed and not on PATH"
done

# ---- 1. configure and build ---------------------------------------------------------------------

if [ "$skip_build" = 0 ]; then
  say "configuring $build_dir (Release, CUDA on)"
  cmake -S "$repo" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DXRECON_CUDA=ON >/dev/null
fi
[ -f "$build_dir/CMakeCache.txt" ] || die "$build_dir is not a configured build folder (drop --skip-build)"
[ -f "$build_dir/build.ninja" ] || die "$build_dir is not a Ninja build (configure it with -G Ninja)"
cache_value() { sed -n "s/^$1:[A-Z]*=//p" "$build_dir/CMakeCache.txt" | sed -n 1p; }
# XreconCuda.cmake sets the compiler and architectures as plain variables: CMake records the
# compiler beside the cache, and the architectures show in the compile commands.
nvcc=$(sed -n 's/^set(CMAKE_CUDA_COMPILER "\(.*\)")$/\1/p' "$build_dir"/CMakeFiles/*/CMakeCUDACompiler.cmake 2>/dev/null |
  sed -n 1p || true)
[ -n "$nvcc" ] || die "$build_dir was configured without CUDA: configure it with -DXRECON_CUDA=ON"
build_type=$(cache_value CMAKE_BUILD_TYPE)
cuda_archs=$(grep -o -- '--generate-code=arch=[^ ]*' "$build_dir/build.ninja" | sed 's/.*code=\[\(.*\)\]/\1/' |
  sort -u | tr '\n' ' ' | sed 's/ $//')
[ "$build_type" = Release ] || say "warning: $build_dir is a '$build_type' build, not Release"
# The device is a Hopper (H100/H200): sm_90 machine code must be in the programs, not only PTX.
case " $cuda_archs " in *" sm_90 "*) ;; *) die "the CUDA code is built for '$cuda_archs', without sm_90" ;; esac

# The gpu-labelled GoogleTest targets, read from the discovery steps in build.ninja: they carry
# each target's labels before anything is built (ctest only lists tests after a build).
gpu_test_targets=$(grep -o 'TEST_TARGET=[^ ]* .*TEST_PROPERTIES=[^"]*' "$build_dir/build.ninja" |
  sed -n 's/^TEST_TARGET=\([^ ]*\) .*TEST_PROPERTIES=\(.*\)$/\1 \2/p' |
  awk '{ n = split($2, p, ";"); for (i = 1; i <= n; i++) if (p[i] == "gpu") print $1 }' | sort -u)
all_targets=$(cd "$build_dir" && ninja -t targets all 2>/dev/null | sed -n 's/^\([^: ]*\): phony$/\1/p')
gpu_bench_targets=$(grep -E '^bench_[A-Za-z0-9_]+_gpu$' <<<"$all_targets" | sort -u || true)
plugin_outputs=$(cd "$build_dir" && ninja -t targets all 2>/dev/null | sed -n 's|^\(plugins/[^/: ]*\.so\): .*|\1|p' | sort -u)
plugin_targets=$(sed 's|^plugins/||; s|\.so$||' <<<"$plugin_outputs")
[ -n "$gpu_test_targets" ] || die "no gpu-labelled test targets in $build_dir/build.ninja"

if [ -n "$only" ]; then
  grep -qx "$only" <<<"$all_targets" || die "--only $only: no such target in $build_dir"
  targets=$only
  if [ "$only" = xrecon ]; then targets="xrecon $plugin_targets"; fi
else
  targets="xrecon $plugin_targets $gpu_test_targets $gpu_bench_targets"
fi
targets=$(tr ' ' '\n' <<<"$targets" | sed '/^$/d' | sort -u | tr '\n' ' ')

if [ "$skip_build" = 0 ]; then
  say "building $(wc -w <<<"$targets") targets with -j $jobs"
  # shellcheck disable=SC2086  # the target list is words
  cmake --build "$build_dir" -j "$jobs" --target $targets
fi

# ---- 2. what goes in --------------------------------------------------------------------------

# Executables of the gpu-labelled tests, as ctest runs them (the discovered tests' commands).
ctest_json=$(mktemp)
trap 'rm -f "$ctest_json"' EXIT
ctest --test-dir "$build_dir" -N --show-only=json-v1 >"$ctest_json" 2>/dev/null ||
  die "ctest could not list the tests of $build_dir"
gpu_test_programs=$(python3 - "$ctest_json" <<'EOF'
import json, sys
tests = json.load(open(sys.argv[1])).get("tests", [])
seen = set()
for t in tests:
    labels = [v for p in t.get("properties", []) if p["name"] == "LABELS" for v in p["value"]]
    if "gpu" in labels and t.get("command"):
        seen.add(t["command"][0])
print("\n".join(sorted(seen)))
EOF
)

programs=()    # absolute paths in the build tree
kinds=()       # suite | bench | cli
add_program() {
  [ -x "$1" ] || die "$1 was not built (run without --skip-build, or build target $(basename "$1"))"
  programs+=("$1")
  kinds+=("$2")
}
find_target_file() { # NAME -> the built executable of that name in the build tree
  find "$build_dir" -path "$build_dir/CMakeFiles" -prune -o -type f -name "$1" -perm -u+x -print -quit
}

for target in $gpu_test_targets; do
  [ -n "$only" ] && [ "$only" != "$target" ] && continue
  exe=$(grep -E "/$target\$" <<<"$gpu_test_programs" || true)
  [ -n "$exe" ] || die "ctest lists no gpu test from $target: was it built? (its tests appear after the build)"
  add_program "$exe" suite
done
for target in $gpu_bench_targets; do
  [ -n "$only" ] && [ "$only" != "$target" ] && continue
  add_program "$build_dir/benchmarks/$target" bench
done
if [ -z "$only" ] || [ "$only" = xrecon ]; then
  add_program "$build_dir/engine/xrecon" cli
fi
if [ -n "$only" ] && [ ${#programs[@]} -eq 0 ]; then
  # Any other program of the build (a CPU test or benchmark, say).
  exe=$(find_target_file "$only")
  [ -n "$exe" ] || die "--only $only: no built program of that name in $build_dir"
  case "$only" in bench_*) add_program "$exe" bench ;; *) add_program "$exe" suite ;; esac
fi
plugins=()
if [ -z "$only" ] || [ "$only" = xrecon ]; then
  for p in $plugin_outputs; do
    [ -f "$build_dir/$p" ] || die "$build_dir/$p was not built"
    plugins+=("$build_dir/$p")
  done
fi

# ---- 3. stage ---------------------------------------------------------------------------------

# One staging folder per kind of bundle: the CI test's small bundle and the full one may be made
# from the same build folder at the same time.
stage_root="$build_dir/gpu-bundle-stage-${only:-all}"
stage="$stage_root/xrecon-gpu"
rm -rf "$stage_root"
mkdir -p "$stage/bin" "$stage/plugins" "$stage/lib/gcc" "$stage/src" "$stage/build"

strip_copy() { # SRC DEST: a stripped copy; an ELF that strip refuses is copied as it is
  if ! strip --strip-unneeded -o "$2" "$1" 2>/dev/null; then cp -L "$1" "$2"; fi
  chmod u+w "$2"
}

for i in "${!programs[@]}"; do strip_copy "${programs[$i]}" "$stage/bin/$(basename "${programs[$i]}")"; done
for p in "${plugins[@]}"; do strip_copy "$p" "$stage/plugins/$(basename "$p")"; done

# Shared libraries: the closure ldd resolves for every program and plugin on this machine.
declare -A lib_path=() lib_users=() device_libs=()
collect_libs() { # ELF
  local line name path
  while IFS= read -r line; do
    case "$line" in
      *"=> not found"*)
        die "$(basename "$1") needs ${line%% *} and this machine cannot find it (ldd): fix the build first" ;;
      *" => "*)
        name=$(awk '{print $1}' <<<"$line")
        path=$(awk '{print $3}' <<<"$line") ;;
      *) continue ;;
    esac
    if kit_is_glibc "$name" || kit_is_driver "$name"; then continue; fi
    if kit_is_device_provided "$name"; then
      device_libs[$name]="$(readlink -f "$path")"
    else
      lib_path[$name]=$path
    fi
    lib_users[$name]="${lib_users[$name]:-} $(basename "$1")"
  done < <(ldd "$1" 2>&1)
}
for elf in "${programs[@]}" "${plugins[@]}"; do collect_libs "$elf"; done

for name in "${!lib_path[@]}"; do
  dest="$stage/lib/$name"
  if kit_is_gcc_runtime "$name"; then dest="$stage/lib/gcc/$name"; fi
  strip_copy "$(readlink -f "${lib_path[$name]}")" "$dest"
done

# Data the programs read from the source tree (XRECON_SOURCE_DIR): the shipped configs and
# models, and the golden files of the prior tests. Small (under 3 MiB together).
for d in configs models tests/prior/golden; do
  if [ -d "$repo/$d" ]; then
    mkdir -p "$stage/src/$(dirname "$d")"
    cp -r "$repo/$d" "$stage/src/$d"
  fi
done

# The build-tree paths compiled into the tests (XRECON_EXE, XRECON_PLUGIN_BUILD_DIR): a mirror of
# links into bin/ and plugins/, which gpu-check.sh places at the same absolute path there.
link_into_mirror() { # RELATIVE_PATH_IN_BUILD TARGET_IN_BUNDLE
  local rel=$1 target=$2 up
  mkdir -p "$stage/build/$(dirname "$rel")"
  up=$(dirname "$rel" | sed 's|[^/][^/]*|..|g')
  ln -sfn "$up/../$target" "$stage/build/$rel"
}
for p in "${programs[@]}"; do link_into_mirror "${p#"$build_dir"/}" "bin/$(basename "$p")"; done
link_into_mirror plugins plugins

# What the programs need from the machine's glibc and GCC runtime (version tags), so that
# gpu-check.sh can say precisely why a program would not start there.
all_elfs=("$stage"/bin/* "$stage"/plugins/*.so)
for f in "$stage"/lib/*.so* "$stage"/lib/gcc/*.so*; do [ -e "$f" ] && all_elfs+=("$f"); done
version_needs() { # SONAME_REGEX -> the sorted version tags the bundle needs from the libraries it names
  for f in "${all_elfs[@]}"; do readelf -V --wide "$f" 2>/dev/null; done |
    awk -v lib="$1" '
      /^Version / { needs = ($0 ~ /^Version needs section/); cur = "" }
      needs && /File: / { for (i = 1; i < NF; i++) if ($i == "File:") cur = $(i + 1) }
      needs && /Name: / && cur ~ lib { for (i = 1; i < NF; i++) if ($i == "Name:") print $(i + 1) }' | sort -uV
}
version_needs '^(libc|libm|libpthread|libdl|librt|ld-linux-x86-64)[.]so' | grep '^GLIBC_' >"$stage/glibc-needs.txt" || true
: >"$stage/gcc-needs.txt"
for f in "$stage"/lib/gcc/*.so*; do
  [ -e "$f" ] || continue
  name=$(basename "$f")
  # The soname as a regex: its dots and pluses literal.
  # shellcheck disable=SC2001  # a bracket per special character is clearer in sed
  echo "$name $(version_needs "^$(sed 's/[.+]/[&]/g' <<<"$name")\$" | tr '\n' ' ')" >>"$stage/gcc-needs.txt"
done

# The CUDA libraries the device must provide, with the version we built against.
include_dir=$(dirname "$nvcc")/../include
header_version() { # FILE MACRO... -> a.b.c from #define lines
  local file=$1 out="" m v
  shift
  for m in "$@"; do
    v=$(sed -n "s/^#define $m \([0-9]*\).*/\1/p" "$file" 2>/dev/null | sed -n 1p)
    out="$out${out:+.}${v:-?}"
  done
  echo "$out"
}
cudnn_version=$(header_version "$include_dir/cudnn_version.h" CUDNN_MAJOR CUDNN_MINOR CUDNN_PATCHLEVEL)
nccl_h=$(cache_value XRECON_NCCL_INCLUDE_DIR)/nccl.h
nccl_version=$(header_version "$nccl_h" NCCL_MAJOR NCCL_MINOR NCCL_PATCH)
cufft_version=$(header_version "$include_dir/cufft.h" CUFFT_VER_MAJOR CUFFT_VER_MINOR CUFFT_VER_PATCH CUFFT_VER_BUILD)
cublas_version=$(header_version "$include_dir/cublas_api.h" CUBLAS_VER_MAJOR CUBLAS_VER_MINOR CUBLAS_VER_PATCH)
cuda_version=$("$nvcc" --version | sed -n 's/.*release [0-9.]*, V\([0-9.]*\).*/\1/p')
: >"$stage/device-libs.txt"
for name in $(printf '%s\n' "${!device_libs[@]}" | sort); do
  case "$name" in
    libcudnn*) v=$cudnn_version ;; libnccl*) v=$nccl_version ;; libcufft*) v=$cufft_version ;;
    libcublas*) v=$cublas_version ;; *) v=$cuda_version ;;
  esac
  users=$(tr ' ' '\n' <<<"${lib_users[$name]}" | sed '/^$/d' | sort -u | tr '\n' ',' | sed 's/,$//')
  echo "$name $v $(basename "${device_libs[$name]}") $users" >>"$stage/device-libs.txt"
done
# cuDNN 9 loads its engines at run time by name (no ldd entry), and its runtime-compiled engines
# load NVRTC: the device must have those too, on the library path.
if [ -n "${device_libs[libcudnn.so.9]:-}" ]; then
  for sub in libcudnn_graph.so.9 libcudnn_engines_precompiled.so.9 libcudnn_engines_runtime_compiled.so.9 \
    libcudnn_heuristic.so.9 libcudnn_ops.so.9 libcudnn_cnn.so.9; do
    grep -q "^$sub " "$stage/device-libs.txt" || echo "$sub $cudnn_version $sub (loaded-by-libcudnn)" >>"$stage/device-libs.txt"
  done
  cuda_major=$(cut -d. -f1 <<<"$cuda_version")
  cuda_minor=$(cut -d. -f2 <<<"$cuda_version")
  for sub in "libnvrtc.so.$cuda_major" "libnvrtc-builtins.so.$cuda_major.$cuda_minor"; do
    grep -q "^$sub " "$stage/device-libs.txt" || echo "$sub $cuda_version $sub (loaded-by-libcudnn)" >>"$stage/device-libs.txt"
  done
fi

# The runner list: what gpu-check.sh runs, without CTest (not on the device image). Per-program
# timeouts in seconds are upper bounds; gpu-check.sh cuts them to its remaining budget.
{
  echo "# kind name timeout_s label   (written by scripts/gpu-bundle.sh; read by scripts/gpu-check.sh)"
  for i in "${!programs[@]}"; do
    name=$(basename "${programs[$i]}")
    label=gpu
    case "${kinds[$i]}" in
      suite)
        t=150
        [ "$name" = pipelines_gpu_tests ] && t=240
        grep -qx "$name" <<<"$gpu_test_targets" || label=other ;;
      bench) t=90 ;;
      *) t=60 ;;
    esac
    echo "${kinds[$i]} $name $t $label"
  done
} >"$stage/runners.txt"

commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git -C "$repo" status --porcelain 2>/dev/null | grep -c . || true)
glibc_here=$(ldd --version 2>&1 | awk 'NR == 1 { print $NF }')
{
  printf 'XRECON_BUNDLE_COMMIT=%q\n' "$commit"
  printf 'XRECON_BUNDLE_UNCOMMITTED_FILES=%q\n' "$dirty"
  printf 'XRECON_BUNDLE_DATE=%q\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  printf 'XRECON_BUNDLE_ONLY=%q\n' "$only"
  printf 'XRECON_BUNDLE_SOURCE_DIR=%q\n' "$repo"
  printf 'XRECON_BUNDLE_BUILD_DIR=%q\n' "$build_dir"
  printf 'XRECON_BUNDLE_CUDA=%q\n' "$cuda_version"
  printf 'XRECON_BUNDLE_CUDA_ARCHITECTURES=%q\n' "$cuda_archs"
  printf 'XRECON_BUNDLE_CUDNN=%q\n' "$cudnn_version"
  printf 'XRECON_BUNDLE_NCCL=%q\n' "$nccl_version"
  printf 'XRECON_BUNDLE_CUFFT=%q\n' "$cufft_version"
  printf 'XRECON_BUNDLE_GLIBC=%q\n' "$glibc_here"
  printf 'XRECON_BUNDLE_HOST=%q\n' "$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME") $(uname -m)"
} >"$stage/manifest.env"
cp "$repo/scripts/gpu-check.sh" "$repo/scripts/gpu-kit-common.sh" "$stage/"

# ---- 4. pack ----------------------------------------------------------------------------------

mkdir -p "$(dirname "$output")"
staged_mib=$(du -sm "$stage" | awk '{print $1}')
say "packing $staged_mib MiB staged ($(find "$stage" -type f | wc -l) files) into $output"
# xz -9: the device code and our -O3 objects compress best with the large dictionary; -T0 uses
# every core here (the archive is made once, unpacked in seconds there).
tar -C "$stage_root" --owner=0 --group=0 --numeric-owner -cf - xrecon-gpu | xz -9 -T0 -c >"$output.partial-$$"
mv "$output.partial-$$" "$output"
size_bytes=$(stat -c %s "$output")
size_mib=$(awk -v b="$size_bytes" 'BEGIN { printf "%.1f", b / 1048576 }')
say "largest carried files:"
find "$stage" -type f -printf '%s %P\n' | sort -rn | sed -n 1,8p |
  awk '{ printf "  %7.1f MiB  %s\n", $1 / 1048576, $2 }'
if [ -s "$stage/device-libs.txt" ]; then
  say "taken from the device image, not carried (name, our version, users):"
  awk '{ printf "  %-40s %-10s %s\n", $1, $2, $4 }' "$stage/device-libs.txt"
fi
# What travels with a device call: the working tree (tracked and untracked-not-ignored files)
# plus carried paths, 64 MiB in all.
tree_bytes=$(cd "$repo" && git ls-files -z --cached --others --exclude-standard 2>/dev/null |
  xargs -0 stat -c %s 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')
travel_mib=$(awk -v a="$tree_bytes" -v b="$size_bytes" 'BEGIN { printf "%.1f", (a + b) / 1048576 }')
say "archive: $output ($size_mib MiB; limit $max_mib MiB; with the working tree $travel_mib of 64 MiB travel)"
if awk -v s="$size_bytes" -v m="$max_mib" 'BEGIN { exit !(s > m * 1048576) }'; then
  die "the archive is $size_mib MiB, over the $max_mib MiB limit"
fi
if awk -v t="$travel_mib" 'BEGIN { exit !(t > 64) }'; then
  die "the archive and the working tree together are $travel_mib MiB, over the 64 MiB a device call takes"
fi

# ---- 5. self-check ----------------------------------------------------------------------------

[ "$self_check" = 1 ] || exit 0
"$repo/scripts/gpu-bundle-selfcheck.sh" "$output"
