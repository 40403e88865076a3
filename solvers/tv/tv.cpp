// tv::prox: checks, the grid, the scratch arrays in the data's memory space, then the backend.
#include "xrecon/tv/tv.hpp"

#include <cmath>
#include <string>

#include "tv_kernels.hpp"
#include "xrecon/error.hpp"

namespace xrecon::tv {
namespace {

detail::Grid grid_of(const ArrayF& a, Coupling coupling, const char* op) {
  XRECON_CHECK(a.rank() == 2 || a.rank() == 3,
               std::string(op) + ": expected an image (y, x) or a volume (z, y, x), got shape " + a.shape().to_string());
  detail::Grid g;
  g.nz = a.rank() == 3 ? detail::Index(a.extent(0)) : 1;
  g.ny = detail::Index(a.extent(a.rank() - 2));
  g.nx = detail::Index(a.extent(a.rank() - 1));
  g.couple_z = coupling == Coupling::volume && g.nz > 1;
  return g;
}

}  // namespace

void prox(const ArrayF& v, ArrayF& z, const ProxOptions& options) {
  XRECON_CHECK(std::isfinite(options.lambda) && options.lambda >= 0,
               "tv::prox: lambda must be finite and >= 0, got " + std::to_string(options.lambda));
  const detail::Grid g = grid_of(v, options.coupling, "tv::prox");
  XRECON_CHECK(z.shape() == v.shape(), "tv::prox: the result has shape " + z.shape().to_string() +
                                           ", the input " + v.shape().to_string());
  XRECON_CHECK(z.space() == v.space(),
               "tv::prox: the input is in " + v.space().to_string() + ", the result in " + z.space().to_string());
  // lambda = 0 is the identity exactly, not the limit of an iteration that divides by lambda.
  if (options.lambda == 0 || options.iterations == 0 || v.size() == 0) {
    if (z.data() != v.data()) copy_bytes(z.data(), z.space(), v.data(), v.space(), v.size() * sizeof(float));
    return;
  }
  const std::size_t n = v.size();
  ArrayF p(Shape{std::size_t(g.axes()) * n}, v.space());
  ArrayF u(Shape{n}, v.space());
  const float lambda = float(options.lambda);
  if (v.space().is_host())
    kernels::cpu::chambolle(v.data(), z.data(), p.data(), u.data(), g, lambda, options.iterations);
  else
    kernels::cuda::chambolle(v.space().device, v.data(), z.data(), p.data(), u.data(), g, lambda, options.iterations);
}

ArrayF prox(const ArrayF& v, const ProxOptions& options) {
  ArrayF z(v.shape(), v.space());
  prox(v, z, options);
  return z;
}

double total_variation(const ArrayF& x, Coupling coupling) {
  const detail::Grid g = grid_of(x, coupling, "tv::total_variation");
  const ArrayF h = x.space().is_host() ? x : x.to(MemorySpace::host());
  const float* u = h.data();
  double sum = 0.0;
#pragma omp parallel for reduction(+ : sum) schedule(static)
  for (detail::Index r = 0; r < g.nz * g.ny; ++r) {
    const detail::Index iz = r / g.ny, iy = r % g.ny;
    for (detail::Index ix = 0, i = r * g.nx; ix < g.nx; ++ix, ++i) {
      float gx, gy, gz;
      detail::gradient(u, g, iz, iy, ix, i, gx, gy, gz);
      sum += std::sqrt(double(gx) * gx + double(gy) * gy + double(gz) * gz);
    }
  }
  return sum;
}

double objective(const ArrayF& z, const ArrayF& v, double lambda, Coupling coupling) {
  XRECON_CHECK(z.shape() == v.shape(), "tv::objective: shapes " + z.shape().to_string() + " and " + v.shape().to_string());
  const ArrayF zh = z.space().is_host() ? z : z.to(MemorySpace::host());
  const ArrayF vh = v.space().is_host() ? v : v.to(MemorySpace::host());
  double sum = 0.0;
  for (std::size_t i = 0; i < zh.size(); ++i) sum += 0.5 * std::pow(double(zh.data()[i]) - vh.data()[i], 2);
  return sum + lambda * total_variation(zh, coupling);
}

}  // namespace xrecon::tv
