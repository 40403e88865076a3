#include <cuda_runtime_api.h>

#include "memory_cuda.hpp"
#include "xrecon/error.hpp"

namespace xrecon::detail {

const bool cuda_backend_compiled = true;

namespace {
void check(cudaError_t status, const char* what) {
  if (status != cudaSuccess) throw Error(std::string(what) + ": " + cudaGetErrorString(status));
}
}  // namespace

std::shared_ptr<void> cuda_allocate(std::size_t bytes, int device) {
  check(cudaSetDevice(device), "cudaSetDevice");
  void* p = nullptr;
  check(cudaMalloc(&p, bytes == 0 ? 1 : bytes), "cudaMalloc");
  return std::shared_ptr<void>(p, [device](void* q) {
    cudaSetDevice(device);
    cudaFree(q);
  });
}

std::size_t cuda_free_bytes(int device) {
  check(cudaSetDevice(device), "cudaSetDevice");
  std::size_t free = 0, total = 0;
  check(cudaMemGetInfo(&free, &total), "cudaMemGetInfo");
  return free;
}

void cuda_copy(void* dst, MemorySpace dst_space, const void* src, MemorySpace src_space, std::size_t bytes) {
  if (!dst_space.is_host()) check(cudaSetDevice(dst_space.device), "cudaSetDevice");
  else check(cudaSetDevice(src_space.device), "cudaSetDevice");
  check(cudaMemcpy(dst, src, bytes, cudaMemcpyDefault), "cudaMemcpy");
}

}  // namespace xrecon::detail
