#include <cstdlib>
#include <cstring>
#include <new>

#include "xrecon/error.hpp"
#include "xrecon/memory.hpp"
#include "memory_accounting.hpp"
#include "memory_cuda.hpp"

namespace xrecon {

std::string MemorySpace::to_string() const {
  return kind == Kind::host ? std::string("host") : "cuda:" + std::to_string(device);
}

std::shared_ptr<void> allocate_bytes(std::size_t bytes, MemorySpace space) {
  if (!space.is_host()) return detail::counted(detail::cuda_allocate(bytes, space.device), space, bytes);
  // 64-byte alignment keeps SIMD loads aligned and rows of float arrays cache-line aligned.
  const std::size_t rounded = (bytes + 63) / 64 * 64;
  void* p = std::aligned_alloc(64, rounded == 0 ? 64 : rounded);
  if (p == nullptr) throw Error("out of host memory allocating " + std::to_string(bytes) + " bytes");
  return detail::counted(std::shared_ptr<void>(p, [](void* q) { std::free(q); }), space, bytes);
}

void copy_bytes(void* dst, MemorySpace dst_space, const void* src, MemorySpace src_space, std::size_t bytes) {
  if (bytes == 0) return;
  if (dst_space.is_host() && src_space.is_host()) {
    std::memcpy(dst, src, bytes);
    return;
  }
  detail::cuda_copy(dst, dst_space, src, src_space, bytes);
}

bool cuda_compiled() { return detail::cuda_backend_compiled; }

}  // namespace xrecon
