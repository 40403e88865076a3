#!/usr/bin/env bash
# scripts/fuzz.sh [SECONDS]: builds the libFuzzer targets (tests/fuzz: the pipeline parser and
# parameter binder, the CXI and Data Exchange readers, the HDF5 model loader and the ONNX
# importer) with clang, ASan and UBSan in build-fuzz, then runs each for SECONDS (default 60)
# from its seed corpus (tests/fuzz/corpus/<target>/) plus what earlier runs learned
# (build-fuzz/fuzz-work/corpus/). Fails on the first finding: a crash, a sanitizer report, a
# leak, an exception other than xrecon::Error, an allocation beyond 2 GiB or an input that hangs;
# the input that did it is in build-fuzz/fuzz-work/artifacts/ (replay: FUZZER FILE).
# Installs clang (Debian) when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
build=${XRECON_FUZZ_BUILD_DIR:-build-fuzz}
if ! command -v clang++ > /dev/null; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update
  $sudo apt-get install -y --no-install-recommends clang libclang-rt-dev libomp-dev
fi
cmake -S . -B "$build" -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g" \
  "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -g" -DXRECON_SANITIZE=address,undefined -DXRECON_FUZZ=ON \
  -DXRECON_FUZZ_SECONDS="$seconds" -DXRECON_BUILD_TESTS=OFF -DXRECON_BUILD_BENCHMARKS=OFF
cmake --build "$build" -j "${XRECON_JOBS:-$(nproc)}" --target xrecon_fuzzers
# One fuzzer at a time: each has the machine's cores to itself for its SECONDS. Every target runs
# even after a finding, so that one report names all of them.
ctest --test-dir "$build" --output-on-failure -L '^fuzz$' --timeout $((seconds + 300))
