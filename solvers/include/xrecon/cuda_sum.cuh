#pragma once
// A sum in double on the GPU that gives the same bits every run, for the CUDA backends' inner
// products and costs: each block adds its grid-stride share (warp shuffles, then one warp over the
// warps), and one block adds the block partials in a fixed order. Atomics would be faster by a
// launch but make the last bits depend on scheduling, and with them the CG trajectories.
// Include only from .cu files.
#include <algorithm>
#include <cstddef>

#include "xrecon/cuda_check.hpp"
#include "xrecon/cuda_scratch.hpp"

namespace xrecon::detail::cuda_sum {
// The kernels live in an unnamed namespace: every .cu file that includes this gets its own copy,
// so separately compiled files do not define the same kernel twice.
namespace {

constexpr int kThreads = 256;
// Two waves of 256-thread blocks on an H100 (8 per multiprocessor x 132); more buys nothing.
constexpr std::size_t kMaxBlocks = 2048;

// Sum of `value` over the block, valid in thread 0.
__device__ double block_sum(double value) {
  __shared__ double warp_sums[kThreads / 32];
  for (int offset = 16; offset > 0; offset /= 2) value += __shfl_down_sync(0xffffffffu, value, offset);
  const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
  if (lane == 0) warp_sums[warp] = value;
  __syncthreads();
  if (warp == 0) {
    value = lane < int(blockDim.x / 32) ? warp_sums[lane] : 0.0;
    for (int offset = 16; offset > 0; offset /= 2) value += __shfl_down_sync(0xffffffffu, value, offset);
  }
  return value;
}

template <typename Term>
__global__ void partials_kernel(Term term, std::size_t n, double* __restrict__ partials) {
  const std::size_t stride = std::size_t(gridDim.x) * blockDim.x;
  double sum = 0.0;
  for (std::size_t i = std::size_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += stride) sum += term(i);
  sum = block_sum(sum);
  if (threadIdx.x == 0) partials[blockIdx.x] = sum;
}

__global__ void sum_partials_kernel(const double* __restrict__ partials, unsigned count, double* __restrict__ total) {
  double sum = 0.0;
  for (unsigned i = threadIdx.x; i < count; i += blockDim.x) sum += partials[i];
  sum = block_sum(sum);
  if (threadIdx.x == 0) *total = sum;
}

}  // namespace

// sum over i < n of term(i) on `device`, waiting for the result. `term` is a functor with a
// __device__ double operator()(std::size_t) const.
template <typename Term>
double sum(int device, std::size_t n, Term term) {
  if (n == 0) return 0.0;
  XRECON_CUDA_CHECK(cudaSetDevice(device));
  const unsigned blocks =
      static_cast<unsigned>(std::clamp<std::size_t>((n + kThreads - 1) / kThreads, 1, kMaxBlocks));
  const DeviceScratch<double> partials(blocks + 1);
  partials_kernel<<<blocks, kThreads>>>(term, n, partials.data());
  XRECON_CUDA_CHECK_LAUNCH();
  sum_partials_kernel<<<1, kThreads>>>(partials.data(), blocks, partials.data() + blocks);
  XRECON_CUDA_CHECK_LAUNCH();
  double total = 0.0;
  XRECON_CUDA_CHECK(cudaMemcpy(&total, partials.data() + blocks, sizeof(double), cudaMemcpyDeviceToHost));
  return total;
}

}  // namespace xrecon::detail::cuda_sum
