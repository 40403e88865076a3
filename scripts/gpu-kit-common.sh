# shellcheck shell=bash
# Shared by scripts/gpu-bundle.sh (here) and scripts/gpu-check.sh (on a lent GPU machine):
# which shared libraries a bundle carries, and how a GoogleTest log is read. Sourced, not run.
# Only bash and coreutils/grep/awk here: the device image has no guaranteed extras.

# The C library and its loader come from the machine that runs the programs: a carried glibc
# would not match that machine's loader (and glibc is backwards compatible, newer runs older).
kit_is_glibc() {
  case "$1" in
    linux-vdso.so.* | ld-linux*.so.* | libc.so.* | libm.so.* | libmvec.so.* | libpthread.so.* | libdl.so.* | \
      librt.so.* | libutil.so.* | libresolv.so.* | libanl.so.* | libnsl.so.* | libBrokenLocale.so.*)
      return 0 ;;
  esac
  return 1
}

# The GPU driver's user-space half must match the kernel module on that machine: never carried.
kit_is_driver() {
  case "$1" in
    libcuda.so* | libnvidia-* | libnvcuvid.so* | libnvoptix.so* | libcudadebugger.so*) return 0 ;;
  esac
  return 1
}

# The CUDA toolkit's math and communication libraries are fat binaries for every GPU generation
# (cuFFT 273 MiB, NCCL 208 MiB, cuDNN 9 about 470 MiB, cuBLASLt 517 MiB; their device code is
# already compressed, so xz or zstd save under 30%): none fits the 64 MiB that travels to the
# device machine. The bundle records which versions we built against; gpu-check.sh takes them
# from the device image (its CUDA 13 toolkit, or the nvidia-* Python wheels beside PyTorch) and
# prints both versions. libcudart (under 1 MiB) is carried: the runtime is ours.
kit_is_device_provided() {
  case "$1" in
    libcufft.so.* | libcufftw.so.* | libcublas.so.* | libcublasLt.so.* | libcudnn*.so.* | libnccl.so.* | \
      libnvrtc*.so.* | libnvJitLink.so.* | libcusparse.so.* | libcusolver*.so.* | libcurand.so.* | libnvblas.so.* | \
      libcupti.so.*)
      return 0 ;;
  esac
  return 1
}

# GCC's runtime: carried in lib/gcc/ and used only where the machine's own copy is older than
# what our programs need (a newer libstdc++ serves both us and NVIDIA's libraries; an older one
# would fail with "GLIBCXX_3.4.NN not found").
kit_is_gcc_runtime() {
  case "$1" in
    libstdc++.so.* | libgcc_s.so.* | libgomp.so.* | libatomic.so.* | libquadmath.so.* | libgfortran.so.*) return 0 ;;
  esac
  return 1
}

# Reads a GoogleTest log (stdout of a test program) and prints one line (a test's own result line
# ends in "(N ms)"; the lists at the end of the log do not, and are not counted twice):
#   passed=N failed=N skipped=N reasons=R1|R2|...
# where reasons are the distinct skip messages (first line of each), so the caller can tell a
# skip for "no CUDA device" from a skip for "needs 2 CUDA devices".
kit_gtest_counts() {
  awk '
    /^\[ RUN      \]/ { in_test = 1; reason = ""; grab = 0; next }
    in_test && /: Skipped$/ { grab = 1; next }
    in_test && grab == 1 { if ($0 != "") { reason = $0; grab = 2 } ; next }
    /^\[       OK \]/ { passed++; in_test = 0; next }
    /^\[  FAILED  \] .* \([0-9]+ ms\)$/ { failed++; in_test = 0; next }
    /^\[  SKIPPED \] .* \([0-9]+ ms\)$/ {
      skipped++; in_test = 0
      if (reason == "") reason = "(no reason given)"
      gsub(/\|/, "/", reason)
      if (!(reason in seen)) { seen[reason] = 1; reasons = reasons (reasons == "" ? "" : "|") reason }
      next
    }
    END { printf "passed=%d failed=%d skipped=%d reasons=%s\n", passed, failed, skipped, reasons }
  ' "$1"
}

# "passed=1 failed=2 skipped=3 reasons=..." -> "1 2 3"
kit_count_fields() {
  [[ "$1" =~ passed=([0-9]+)\ failed=([0-9]+)\ skipped=([0-9]+) ]] &&
    echo "${BASH_REMATCH[1]} ${BASH_REMATCH[2]} ${BASH_REMATCH[3]}"
}

# True when a skip reason says the GPU was missing or unusable (the reasons tests/support/gpu.hpp,
# tests/sdk and tests/comm_gpu give, and the benchmarks' SkipWithError): on a GPU machine that is
# a failure of the run, not a skip.
kit_reason_means_no_gpu() {
  grep -qiE 'no CUDA device|no usable CUDA device|this machine has 0|built without CUDA|no GPU' <<<"$1"
}
