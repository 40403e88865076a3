#pragma once
#include <cstddef>
#include <optional>
#include <memory>
#include <string>

#include "xrecon/export.hpp"

namespace xrecon {

// Where an array's bytes live. Host memory is always available; cuda:k needs a build with
// CUDA (otherwise allocation throws NotCompiled) and a device with that index.
struct MemorySpace {
  enum class Kind { host, cuda };
  Kind kind = Kind::host;
  int device = 0;

  static MemorySpace host() { return {}; }
  static MemorySpace cuda(int device) { return {Kind::cuda, device}; }
  bool is_host() const { return kind == Kind::host; }
  bool operator==(const MemorySpace&) const = default;
  XRECON_SDK_API std::string to_string() const;
};

// Allocates `bytes` in `space`; the returned owner frees them with the matching call.
XRECON_SDK_API std::shared_ptr<void> allocate_bytes(std::size_t bytes, MemorySpace space);
// Copies between any two spaces (host<->cuda, cuda<->cuda).
XRECON_SDK_API void copy_bytes(void* dst, MemorySpace dst_space, const void* src, MemorySpace src_space,
                               std::size_t bytes);
// Array storage (everything allocate_bytes handed out) held in `space` now, and the most held
// since the last reset_peak_bytes(space) (SDK ABI 1.4). Solver scratch outside arrays (FFT plans,
// small kernel tables) is not counted. The memory estimates of the stages are checked against it.
XRECON_SDK_API std::size_t bytes_in_use(MemorySpace space);
XRECON_SDK_API std::size_t peak_bytes(MemorySpace space);
XRECON_SDK_API void reset_peak_bytes(MemorySpace space);
// Bytes a new allocation in `space` may take: free device memory (cudaMemGetInfo) on a GPU, the
// available physical memory on the host; at most XRECON_MEMORY_LIMIT when that is set (bytes, or
// with a K/M/G suffix), which lets a job share a device and the tests force small budgets.
XRECON_SDK_API std::size_t available_bytes(MemorySpace space);
// XRECON_MEMORY_LIMIT, parsed and checked (the one place that reads it): bytes, or a number with a
// K, M or G suffix; nullopt when unset. Throws InputError naming the variable and its value for
// anything else: not a number, zero or negative, infinite, or beyond what size_t holds. `xrecon
// validate` and `run` call it before any stage runs, so a bad value stops nothing half-way.
XRECON_SDK_API std::optional<std::size_t> memory_limit_from_environment();
// True when this build contains the CUDA backend.
XRECON_SDK_API bool cuda_compiled();

}  // namespace xrecon
