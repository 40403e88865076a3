#pragma once
// The CUDA side of the memory spaces: memory_cuda.cpp when CUDA is built,
// memory_cuda_absent.cpp (throws NotCompiled) otherwise.
#include <cstddef>
#include <memory>

#include "xrecon/memory.hpp"

namespace xrecon::detail {
extern const bool cuda_backend_compiled;
std::shared_ptr<void> cuda_allocate(std::size_t bytes, int device);
// Free memory on the device (cudaMemGetInfo).
std::size_t cuda_free_bytes(int device);
void cuda_copy(void* dst, MemorySpace dst_space, const void* src, MemorySpace src_space, std::size_t bytes);
}  // namespace xrecon::detail
