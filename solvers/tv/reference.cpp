// Chambolle's TV projection in double with obvious loops (see xrecon/tv/reference.hpp).
#include "xrecon/tv/reference.hpp"

#include <cmath>
#include <vector>

#include "xrecon/error.hpp"

namespace xrecon::tv::reference {
namespace {

struct Dims {
  std::size_t nz, ny, nx;
  bool couple_z;
  std::size_t at(std::size_t z, std::size_t y, std::size_t x) const { return (z * ny + y) * nx + x; }
};

Dims dims_of(const Shape& s, std::size_t rank, Coupling coupling) {
  XRECON_CHECK(rank == 2 || rank == 3, "tv::reference: expected rank 2 or 3, got shape " + s.to_string());
  Dims d{rank == 3 ? s[0] : 1, s[rank - 2], s[rank - 1], false};
  d.couple_z = coupling == Coupling::volume && d.nz > 1;
  return d;
}

// Forward differences of u at (z, y, x); zero across the far boundary.
void grad(const std::vector<double>& u, const Dims& d, std::size_t z, std::size_t y, std::size_t x, double g[3]) {
  const double c = u[d.at(z, y, x)];
  g[0] = x + 1 < d.nx ? u[d.at(z, y, x + 1)] - c : 0.0;
  g[1] = y + 1 < d.ny ? u[d.at(z, y + 1, x)] - c : 0.0;
  g[2] = d.couple_z && z + 1 < d.nz ? u[d.at(z + 1, y, x)] - c : 0.0;
}

// Backward differences of p, p's far-boundary component taken as zero.
double div(const std::vector<double> p[3], const Dims& d, std::size_t z, std::size_t y, std::size_t x) {
  double s = 0.0;
  if (x + 1 < d.nx) s += p[0][d.at(z, y, x)];
  if (x > 0) s -= p[0][d.at(z, y, x - 1)];
  if (y + 1 < d.ny) s += p[1][d.at(z, y, x)];
  if (y > 0) s -= p[1][d.at(z, y - 1, x)];
  if (d.couple_z) {
    if (z + 1 < d.nz) s += p[2][d.at(z, y, x)];
    if (z > 0) s -= p[2][d.at(z - 1, y, x)];
  }
  return s;
}

}  // namespace

ArrayD prox(const ArrayF& v, const ProxOptions& options) {
  const Dims d = dims_of(v.shape(), v.rank(), options.coupling);
  const std::size_t n = v.size();
  ArrayD out(v.shape());
  if (options.lambda == 0 || options.iterations == 0) {
    for (std::size_t i = 0; i < n; ++i) out[i] = v[i];
    return out;
  }
  const double lambda = options.lambda;
  const double tau = 1.0 / (4.0 * (d.couple_z ? 3 : 2));
  std::vector<double> p[3] = {std::vector<double>(n, 0.0), std::vector<double>(n, 0.0), std::vector<double>(n, 0.0)};
  std::vector<double> u(n);
  for (std::size_t it = 0; it < options.iterations; ++it) {
    for (std::size_t z = 0; z < d.nz; ++z)
      for (std::size_t y = 0; y < d.ny; ++y)
        for (std::size_t x = 0; x < d.nx; ++x) u[d.at(z, y, x)] = div(p, d, z, y, x) - v[d.at(z, y, x)] / lambda;
    for (std::size_t z = 0; z < d.nz; ++z)
      for (std::size_t y = 0; y < d.ny; ++y)
        for (std::size_t x = 0; x < d.nx; ++x) {
          double g[3];
          grad(u, d, z, y, x, g);
          const double norm = std::sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2]);
          for (int k = 0; k < 3; ++k) {
            double& pk = p[k][d.at(z, y, x)];
            pk = (pk + tau * g[k]) / (1.0 + tau * norm);
          }
        }
  }
  for (std::size_t z = 0; z < d.nz; ++z)
    for (std::size_t y = 0; y < d.ny; ++y)
      for (std::size_t x = 0; x < d.nx; ++x) out[d.at(z, y, x)] = v[d.at(z, y, x)] - lambda * div(p, d, z, y, x);
  return out;
}

double total_variation(const ArrayD& x, Coupling coupling) {
  const Dims d = dims_of(x.shape(), x.rank(), coupling);
  std::vector<double> u(x.data(), x.data() + x.size());
  double sum = 0.0;
  for (std::size_t z = 0; z < d.nz; ++z)
    for (std::size_t y = 0; y < d.ny; ++y)
      for (std::size_t xx = 0; xx < d.nx; ++xx) {
        double g[3];
        grad(u, d, z, y, xx, g);
        sum += std::sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2]);
      }
  return sum;
}

}  // namespace xrecon::tv::reference
