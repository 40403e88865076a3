// CUDA kernels of the transmission and its linearised log: grid-stride loops over the per-element
// math of transmission_math.hpp, the one the OpenMP loops run. Side means take one thread per
// image, adding its 2 x rows side values in the CPU's order (so both backends refer an image to
// the same mean, and the values are few); the host reads them back to check them before the
// element pass. Everything runs on the legacy default stream, ordered with the SDK's copies and
// the communicators' collectives.
#include <cuda/std/complex>

#include <algorithm>
#include <span>

#include "transmission_kernels.hpp"
#include "xrecon/cuda_check.hpp"
#include "xrecon/cuda_scratch.hpp"

namespace xrecon::joint::kernels::cuda {
namespace {

using C = ::cuda::std::complex<float>;

constexpr int kThreads = 256;
// Two waves of full blocks on an H100 (132 multiprocessors x 8 blocks); the grid-stride loops
// do the rest.
constexpr std::size_t kMaxBlocks = 2112;

unsigned blocks_for(std::size_t work_items) {
  return static_cast<unsigned>(std::clamp<std::size_t>((work_items + kThreads - 1) / kThreads, 1, kMaxBlocks));
}

__device__ std::size_t first_index() { return std::size_t(blockIdx.x) * blockDim.x + threadIdx.x; }
__device__ std::size_t grid_stride() { return std::size_t(gridDim.x) * blockDim.x; }

__global__ void transmission_kernel(const float* __restrict__ phase, const float* __restrict__ attenuation,
                                    C* __restrict__ h, std::size_t n) {
  for (std::size_t i = first_index(); i < n; i += grid_stride()) {
    float re, im;
    detail::transmission_of(phase[i], attenuation[i], re, im);
    h[i] = C(re, im);
  }
}

__global__ void ray_weights_kernel(const float* __restrict__ attenuation, float* __restrict__ weights,
                                   std::size_t n) {
  for (std::size_t i = first_index(); i < n; i += grid_stride()) weights[i] = detail::ray_weight_of(attenuation[i]);
}

__global__ void side_means_kernel(const float* __restrict__ t, std::size_t count, std::size_t rows, std::size_t cols,
                                  detail::SideMean* __restrict__ means) {
  for (std::size_t k = first_index(); k < count; k += grid_stride())
    means[k] = detail::side_mean(t + 2 * k * rows * cols, rows, cols);
}

__global__ void linearised_log_kernel(const C* __restrict__ t, const detail::SideReference* __restrict__ references,
                                      std::size_t n, std::size_t frame, float* __restrict__ phase,
                                      float* __restrict__ attenuation) {
  for (std::size_t i = first_index(); i < n; i += grid_stride()) {
    const C v = t[i];
    detail::linearised_log_of(v.real(), v.imag(), references[i / frame], phase[i], attenuation[i]);
  }
}

}  // namespace

void transmission(int device, const float* phase, const float* attenuation, Complex* h, std::size_t n) {
  if (n == 0) return;
  XRECON_CUDA_CHECK(cudaSetDevice(device));
  transmission_kernel<<<blocks_for(n), kThreads>>>(phase, attenuation, reinterpret_cast<C*>(h), n);
  XRECON_CUDA_CHECK_LAUNCH();
}

void ray_weights(int device, const float* attenuation, float* weights, std::size_t n) {
  if (n == 0) return;
  XRECON_CUDA_CHECK(cudaSetDevice(device));
  ray_weights_kernel<<<blocks_for(n), kThreads>>>(attenuation, weights, n);
  XRECON_CUDA_CHECK_LAUNCH();
}

void side_means(int device, const Complex* t, std::size_t count, std::size_t rows, std::size_t cols,
                detail::SideMean* means) {
  if (count == 0) return;
  XRECON_CUDA_CHECK(cudaSetDevice(device));
  const ::xrecon::detail::DeviceScratch<detail::SideMean> on_device(count);
  side_means_kernel<<<blocks_for(count), kThreads>>>(reinterpret_cast<const float*>(t), count, rows, cols,
                                                     on_device.data());
  XRECON_CUDA_CHECK_LAUNCH();
  XRECON_CUDA_CHECK(cudaMemcpy(means, on_device.data(), count * sizeof(detail::SideMean), cudaMemcpyDeviceToHost));
}

void linearised_log(int device, const Complex* t, const detail::SideReference* references, std::size_t count,
                    std::size_t frame, float* phase, float* attenuation) {
  const std::size_t n = count * frame;
  if (n == 0) return;
  XRECON_CUDA_CHECK(cudaSetDevice(device));
  const ::xrecon::detail::DeviceScratch<detail::SideReference> on_device(
      std::span<const detail::SideReference>(references, count));
  linearised_log_kernel<<<blocks_for(n), kThreads>>>(reinterpret_cast<const C*>(t), on_device.data(), n, frame,
                                                     phase, attenuation);
  XRECON_CUDA_CHECK_LAUNCH();
}

}  // namespace xrecon::joint::kernels::cuda
