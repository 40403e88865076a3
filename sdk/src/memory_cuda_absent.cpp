#include "memory_cuda.hpp"
#include "xrecon/error.hpp"

namespace xrecon::detail {

const bool cuda_backend_compiled = false;

std::shared_ptr<void> cuda_allocate(std::size_t, int device) {
  throw NotCompiled("cuda:" + std::to_string(device) + " memory requested, but this xrecon was built without CUDA");
}

std::size_t cuda_free_bytes(int device) {
  throw NotCompiled("free memory of cuda:" + std::to_string(device) + " asked for, but this xrecon was built without CUDA");
}

void cuda_copy(void*, MemorySpace, const void*, MemorySpace, std::size_t) {
  throw NotCompiled("copy to or from CUDA memory requested, but this xrecon was built without CUDA");
}

}  // namespace xrecon::detail
