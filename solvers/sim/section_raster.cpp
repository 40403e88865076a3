#include "section_raster.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

namespace xrecon::sim::detail {
namespace {

// Normalised coordinate of sub-sample j of `count` evenly spread over [-1, 1].
double sub_sample_coordinate(std::size_t j, std::size_t count) { return 2.0 * (double(j) + 0.5) / double(count) - 1.0; }

// Adds ellipse.value times the number of sub-samples inside the ellipse to each of the n pixels
// of `row`, the row lying at height y. An ellipse covers one interval of a row; finding it in
// closed form costs one square root instead of a test per sub-sample.
void add_row_coverage(const Ellipse& ellipse, double y, std::size_t n, std::size_t supersample, double* row) {
  // A point u = x - x0 of the row is inside when A u^2 + B u + C <= 0 (the ellipse equation in
  // its rotated frame, expanded in u at fixed v = y - y0).
  const double c = std::cos(ellipse.phi);
  const double s = std::sin(ellipse.phi);
  const double inv_a2 = 1.0 / (ellipse.a * ellipse.a);
  const double inv_b2 = 1.0 / (ellipse.b * ellipse.b);
  const double v = y - ellipse.y0;
  const double A = c * c * inv_a2 + s * s * inv_b2;
  const double B = 2.0 * v * c * s * (inv_a2 - inv_b2);
  const double C = v * v * (s * s * inv_a2 + c * c * inv_b2) - 1.0;
  const double discriminant = B * B - 4.0 * A * C;
  if (discriminant < 0.0) return;
  const double root = std::sqrt(discriminant);
  const double x_left = ellipse.x0 + (-B - root) / (2.0 * A);
  const double x_right = ellipse.x0 + (-B + root) / (2.0 * A);

  // Invert x_j = 2 (j + 0.5) / m - 1 for the first and last sub-sample inside. Clamping in double
  // first keeps ellipses far outside the image from overflowing the integer conversion.
  const double m = double(n * supersample);
  const double first = std::clamp(std::ceil((x_left + 1.0) * m / 2.0 - 0.5), 0.0, m);
  const double last = std::clamp(std::floor((x_right + 1.0) * m / 2.0 - 0.5), -1.0, m - 1.0);
  if (first > last) return;
  const auto j_first = static_cast<std::size_t>(first);
  const auto j_last = static_cast<std::size_t>(last);
  for (std::size_t ix = j_first / supersample; ix <= j_last / supersample; ++ix) {
    const std::size_t covered =
        std::min(j_last, ix * supersample + supersample - 1) - std::max(j_first, ix * supersample) + 1;
    row[ix] += ellipse.value * double(covered);
  }
}

}  // namespace

std::vector<double> sub_slice_heights(std::size_t nz, int z_supersample, double thickness) {
  std::vector<double> heights;
  heights.reserve(nz * std::size_t(z_supersample));
  for (std::size_t iz = 0; iz < nz; ++iz) {
    const double centre = (double(iz) - (double(nz) - 1.0) / 2.0) / (double(nz) / 2.0);
    for (int sz = 0; sz < z_supersample; ++sz)
      heights.push_back(centre + ((sz + 0.5) / z_supersample - 0.5) * thickness);
  }
  return heights;
}

void add_sections(const Ellipsoid& ellipsoid, const std::vector<double>& heights,
                  std::vector<std::vector<Ellipse>>& sections) {
  for (std::size_t k = 0; k < heights.size(); ++k)
    if (auto section = cross_section(ellipsoid, heights[k])) sections[k].push_back(*section);
}

void rasterize_sections(const std::vector<std::vector<Ellipse>>& sections, std::size_t nz, std::size_t ny,
                        std::size_t nx, int supersample, int z_supersample, float* out) {
  XRECON_CHECK(nz >= 1 && ny >= 1 && nx >= 1, "a phantom needs at least one voxel");
  XRECON_CHECK(supersample >= 1 && z_supersample >= 1,
               "supersample must be at least 1, got " + std::to_string(std::min(supersample, z_supersample)));
  const auto ss = static_cast<std::size_t>(supersample);
  const auto zss = static_cast<std::size_t>(z_supersample);
  XRECON_CHECK(sections.size() == nz * zss, "one list of sections per sub-slice");

  const double samples_per_voxel = double(zss * ss * ss);
#pragma omp parallel
  {
    std::vector<double> row(nx);
#pragma omp for schedule(static)
    for (std::int64_t line = 0; line < std::int64_t(nz * ny); ++line) {
      const std::size_t iz = std::size_t(line) / ny;
      const std::size_t iy = std::size_t(line) % ny;
      std::fill(row.begin(), row.end(), 0.0);
      for (std::size_t sz = 0; sz < zss; ++sz) {
        for (std::size_t sy = 0; sy < ss; ++sy) {
          const double y = sub_sample_coordinate(iy * ss + sy, ny * ss);
          for (const Ellipse& e : sections[iz * zss + sz]) add_row_coverage(e, y, nx, ss, row.data());
        }
      }
      float* out_row = out + std::size_t(line) * nx;
      for (std::size_t ix = 0; ix < nx; ++ix) out_row[ix] = float(row[ix] / samples_per_voxel);
    }
  }
}

}  // namespace xrecon::sim::detail
