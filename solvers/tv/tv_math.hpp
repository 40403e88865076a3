#pragma once
// Per-element math of Chambolle's TV projection, shared by the OpenMP loops (tv_cpu.cpp) and the
// CUDA kernels (tv_cuda.cu) so that the CPU tests exercise what the GPU runs. Grids are (z, y, x),
// row-major; the dual field is three planar arrays px, py, pz (pz unused per slice).
#include <cmath>
#include <cstddef>

#include "xrecon/hd.hpp"

namespace xrecon::tv::detail {

using Index = std::ptrdiff_t;

struct Grid {
  Index nz = 0, ny = 0, nx = 0;
  bool couple_z = false;  // 3-D TV: differences along z too
  XRECON_HD Index size() const { return nz * ny * nx; }
  XRECON_HD int axes() const { return couple_z ? 3 : 2; }
};

// Forward differences, zero across the far boundary of each axis.
XRECON_HD void gradient(const float* u, const Grid& g, Index z, Index y, Index x, Index i, float& gx, float& gy,
                        float& gz) {
  gx = x + 1 < g.nx ? u[i + 1] - u[i] : 0.0f;
  gy = y + 1 < g.ny ? u[i + g.nx] - u[i] : 0.0f;
  gz = g.couple_z && z + 1 < g.nz ? u[i + g.nx * g.ny] - u[i] : 0.0f;
}

// div = -grad^T: backward differences, with the dual's component across the far boundary taken as
// zero (Chambolle 2004, eq. 2.2 and the one after it).
XRECON_HD float divergence(const float* px, const float* py, const float* pz, const Grid& g, Index z, Index y, Index x,
                           Index i) {
  float d = 0.0f;
  if (x + 1 < g.nx) d += px[i];
  if (x > 0) d -= px[i - 1];
  if (y + 1 < g.ny) d += py[i];
  if (y > 0) d -= py[i - g.nx];
  if (g.couple_z) {
    if (z + 1 < g.nz) d += pz[i];
    if (z > 0) d -= pz[i - g.nx * g.ny];
  }
  return d;
}

// u_i = (div p)_i - v_i / lambda, the argument of the dual step's gradient.
XRECON_HD float dual_argument(const float* v, const float* px, const float* py, const float* pz, float inv_lambda,
                              const Grid& g, Index z, Index y, Index x, Index i) {
  return divergence(px, py, pz, g, z, y, x, i) - v[i] * inv_lambda;
}

// p_i <- (p_i + tau (grad u)_i) / (1 + tau |(grad u)_i|).
XRECON_HD void dual_step(const float* u, float* px, float* py, float* pz, float tau, const Grid& g, Index z, Index y,
                         Index x, Index i) {
  float gx, gy, gz;
  gradient(u, g, z, y, x, i, gx, gy, gz);
  const float scale = 1.0f / (1.0f + tau * sqrtf(gx * gx + gy * gy + gz * gz));
  px[i] = (px[i] + tau * gx) * scale;
  py[i] = (py[i] + tau * gy) * scale;
  if (g.couple_z) pz[i] = (pz[i] + tau * gz) * scale;
}

// z_i = v_i - lambda (div p)_i.
XRECON_HD float primal(const float* v, const float* px, const float* py, const float* pz, float lambda, const Grid& g,
                       Index z, Index y, Index x, Index i) {
  return v[i] - lambda * divergence(px, py, pz, g, z, y, x, i);
}

// tau = 1 / (4 d): the step under which Chambolle's iteration provably converges.
XRECON_HD float step_size(const Grid& g) { return 1.0f / (4.0f * float(g.axes())); }

}  // namespace xrecon::tv::detail
