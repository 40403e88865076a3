#include <cmath>
#include <cstdint>
#include <vector>

#include "row_coverage.hpp"
#include "xrecon/sim/phantom.hpp"

namespace xrecon::sim {
namespace {

void check_supersample(int supersample) {
  XRECON_CHECK(supersample >= 1, "supersample must be at least 1, got " + std::to_string(supersample));
}

}  // namespace

ArrayF rasterize(const std::vector<Ellipse>& ellipses, std::size_t n, int supersample) {
  XRECON_CHECK(n >= 1, "a phantom needs at least one pixel");
  check_supersample(supersample);
  ArrayF image(Shape{n, n});
  const auto ss = static_cast<std::size_t>(supersample);
  const double samples_per_pixel = double(ss * ss);
#pragma omp parallel
  {
    std::vector<double> row(n);
#pragma omp for schedule(static)
    for (std::int64_t iy = 0; iy < std::int64_t(n); ++iy) {
      std::fill(row.begin(), row.end(), 0.0);
      for (std::size_t sy = 0; sy < ss; ++sy) {
        const double y = detail::sub_sample_coordinate(std::size_t(iy) * ss + sy, n * ss);
        for (const Ellipse& e : ellipses) detail::add_row_coverage(e, y, n, supersample, row.data());
      }
      float* out = image.data() + std::size_t(iy) * n;
      for (std::size_t ix = 0; ix < n; ++ix) out[ix] = float(row[ix] / samples_per_pixel);
    }
  }
  return image;
}

std::optional<Ellipse> cross_section(const Ellipsoid& ellipsoid, double z) {
  const double t = (z - ellipsoid.z0) / ellipsoid.c;
  if (t * t >= 1.0) return std::nullopt;
  const double shrink = std::sqrt(1.0 - t * t);
  return Ellipse{ellipsoid.value, ellipsoid.a * shrink, ellipsoid.b * shrink, ellipsoid.x0, ellipsoid.y0,
                 ellipsoid.phi};
}

ArrayF rasterize(const std::vector<Ellipsoid>& ellipsoids, std::size_t nz, std::size_t ny, std::size_t nx,
                 int supersample) {
  XRECON_CHECK(nz >= 1 && ny >= 1 && nx >= 1, "a phantom needs at least one voxel");
  check_supersample(supersample);
  const auto ss = static_cast<std::size_t>(supersample);

  // The sections depend on the sub-slice only; compute them once instead of per row.
  std::vector<std::vector<Ellipse>> sections(nz * ss);
  for (std::size_t k = 0; k < nz * ss; ++k) {
    const double z = detail::sub_sample_coordinate(k, nz * ss);
    for (const Ellipsoid& e : ellipsoids)
      if (auto section = cross_section(e, z)) sections[k].push_back(*section);
  }

  ArrayF volume(Shape{nz, ny, nx});
  const double samples_per_voxel = double(ss * ss * ss);
#pragma omp parallel
  {
    std::vector<double> row(nx);
#pragma omp for schedule(static)
    for (std::int64_t line = 0; line < std::int64_t(nz * ny); ++line) {
      const std::size_t iz = std::size_t(line) / ny;
      const std::size_t iy = std::size_t(line) % ny;
      std::fill(row.begin(), row.end(), 0.0);
      for (std::size_t sz = 0; sz < ss; ++sz) {
        for (std::size_t sy = 0; sy < ss; ++sy) {
          const double y = detail::sub_sample_coordinate(iy * ss + sy, ny * ss);
          for (const Ellipse& e : sections[iz * ss + sz]) detail::add_row_coverage(e, y, nx, supersample, row.data());
        }
      }
      float* out = volume.data() + std::size_t(line) * nx;
      for (std::size_t ix = 0; ix < nx; ++ix) out[ix] = float(row[ix] / samples_per_voxel);
    }
  }
  return volume;
}

}  // namespace xrecon::sim
