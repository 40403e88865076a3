// CUDA kernels of Chambolle's TV projection: one thread per voxel, blocks of 32 x 8 (x, y) tiles,
// grid z over slices; two launches per iteration (the dual argument u, then the dual step), which
// the legacy default stream orders. The per-element math is tv_math.hpp's, as on the CPU.
#include <algorithm>

#include "tv_kernels.hpp"
#include "xrecon/cuda_check.hpp"

namespace xrecon::tv::kernels::cuda {
namespace {

using detail::Grid;
using detail::Index;

constexpr unsigned kTileX = 32, kTileY = 8;

struct Voxel {
  Index z, y, x, i;
  bool inside;
};

__device__ Voxel voxel(const Grid& g) {
  Voxel v;
  v.x = Index(blockIdx.x) * blockDim.x + threadIdx.x;
  v.y = Index(blockIdx.y) * blockDim.y + threadIdx.y;
  v.z = blockIdx.z;
  v.inside = v.x < g.nx && v.y < g.ny;
  v.i = (v.z * g.ny + v.y) * g.nx + v.x;
  return v;
}

__global__ void argument_kernel(const float* __restrict__ v, const float* px, const float* py, const float* pz,
                                float* __restrict__ u, float inv_lambda, Grid g) {
  const Voxel w = voxel(g);
  if (w.inside) u[w.i] = detail::dual_argument(v, px, py, pz, inv_lambda, g, w.z, w.y, w.x, w.i);
}

__global__ void dual_step_kernel(const float* __restrict__ u, float* px, float* py, float* pz, float tau, Grid g) {
  const Voxel w = voxel(g);
  if (w.inside) detail::dual_step(u, px, py, pz, tau, g, w.z, w.y, w.x, w.i);
}

__global__ void primal_kernel(const float* v, const float* px, const float* py, const float* pz, float* z,
                              float lambda, Grid g) {
  const Voxel w = voxel(g);
  if (w.inside) z[w.i] = detail::primal(v, px, py, pz, lambda, g, w.z, w.y, w.x, w.i);
}

}  // namespace

void chambolle(int device, const float* v, float* z, float* p, float* u, const Grid& g, float lambda,
               std::size_t iterations) {
  if (g.size() == 0) return;
  XRECON_CUDA_CHECK(cudaSetDevice(device));
  const Index n = g.size();
  float* px = p;
  float* py = p + n;
  float* pz = p + 2 * n;
  XRECON_CUDA_CHECK(cudaMemset(p, 0, std::size_t(g.axes()) * std::size_t(n) * sizeof(float)));
  const dim3 block(kTileX, kTileY);
  XRECON_CHECK(g.nz <= 65535, "tv::prox on the GPU: at most 65535 slices per call, got " + std::to_string(g.nz));
  const dim3 grid(unsigned((g.nx + kTileX - 1) / kTileX), unsigned((g.ny + kTileY - 1) / kTileY), unsigned(g.nz));
  const float tau = detail::step_size(g);
  for (std::size_t it = 0; it < iterations; ++it) {
    argument_kernel<<<grid, block>>>(v, px, py, pz, u, 1.0f / lambda, g);
    XRECON_CUDA_CHECK_LAUNCH();
    dual_step_kernel<<<grid, block>>>(u, px, py, pz, tau, g);
    XRECON_CUDA_CHECK_LAUNCH();
  }
  primal_kernel<<<grid, block>>>(v, px, py, pz, z, lambda, g);
  XRECON_CUDA_CHECK_LAUNCH();
}

}  // namespace xrecon::tv::kernels::cuda
