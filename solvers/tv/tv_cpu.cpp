// OpenMP loops of Chambolle's TV projection: one parallel region for the whole iteration, each
// pass a static loop over (z, y) rows, the implicit barrier between passes ordering them.
#include "tv_kernels.hpp"

namespace xrecon::tv::kernels::cpu {

using detail::Index;

void chambolle(const float* v, float* z, float* p, float* u, const detail::Grid& g, float lambda,
               std::size_t iterations) {
  const Index n = g.size();
  float* px = p;
  float* py = p + n;
  float* pz = p + 2 * n;
  const float tau = detail::step_size(g);
  const float inv_lambda = 1.0f / lambda;
  const Index rows = g.nz * g.ny;
#pragma omp parallel
  {
#pragma omp for schedule(static)
    for (Index i = 0; i < g.axes() * n; ++i) p[i] = 0.0f;
    for (std::size_t it = 0; it < iterations; ++it) {
#pragma omp for schedule(static)
      for (Index r = 0; r < rows; ++r) {
        const Index iz = r / g.ny, iy = r % g.ny;
        for (Index ix = 0, i = r * g.nx; ix < g.nx; ++ix, ++i)
          u[i] = detail::dual_argument(v, px, py, pz, inv_lambda, g, iz, iy, ix, i);
      }
#pragma omp for schedule(static)
      for (Index r = 0; r < rows; ++r) {
        const Index iz = r / g.ny, iy = r % g.ny;
        for (Index ix = 0, i = r * g.nx; ix < g.nx; ++ix, ++i) detail::dual_step(u, px, py, pz, tau, g, iz, iy, ix, i);
      }
    }
#pragma omp for schedule(static)
    for (Index r = 0; r < rows; ++r) {
      const Index iz = r / g.ny, iy = r % g.ny;
      for (Index ix = 0, i = r * g.nx; ix < g.nx; ++ix, ++i)
        z[i] = detail::primal(v, px, py, pz, lambda, g, iz, iy, ix, i);
    }
  }
}

}  // namespace xrecon::tv::kernels::cpu
