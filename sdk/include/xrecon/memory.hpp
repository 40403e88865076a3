#pragma once
#include <cstddef>
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
// True when this build contains the CUDA backend.
XRECON_SDK_API bool cuda_compiled();

}  // namespace xrecon
