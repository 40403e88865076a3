#include "producer_kernel.hpp"

namespace xrecon::testing {
namespace {

__device__ unsigned long long nanoseconds() {
  unsigned long long t = 0;
  asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t));
  return t;
}

template <typename T>
__global__ void produce_kernel(T* data, std::size_t n, T first, unsigned long long delay_ns) {
  const unsigned long long start = nanoseconds();
  while (nanoseconds() - start < delay_ns) {
  }
  const std::size_t stride = std::size_t(gridDim.x) * blockDim.x;
  for (std::size_t i = std::size_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += stride) data[i] = first + T(i);
}

template <typename T>
cudaError_t launch(T* data, std::size_t n, T first, double milliseconds) {
  // The legacy default stream by name, where the solvers queue their kernels.
  const auto delay_ns = static_cast<unsigned long long>(milliseconds * 1e6);
  produce_kernel<<<64, 256, 0, cudaStreamLegacy>>>(data, n, first, delay_ns);
  return cudaGetLastError();
}

}  // namespace

cudaError_t produce_after_delay(float* data, std::size_t n, float first, double milliseconds) {
  return launch(data, n, first, milliseconds);
}

cudaError_t produce_after_delay(double* data, std::size_t n, double first, double milliseconds) {
  return launch(data, n, first, milliseconds);
}

}  // namespace xrecon::testing
