// Complex test objects for ptychography: psi = amplitude * exp(i phase) from a real phantom.
#include <algorithm>
#include <cmath>
#include <numbers>

#include "xrecon/sim/phantom.hpp"
#include "xrecon/sim/ptycho_sim.hpp"

namespace xrecon::sim {
namespace {

constexpr int kSupersample = 4;  // sub-samples per axis, so the star's spokes have soft edges

// Fraction of each pixel covered by the bright sectors of a Siemens star inside the unit disc,
// in the normalised coordinates of phantom.hpp.
ArrayF siemens_star_density(std::size_t n, int spokes) {
  ArrayF density(Shape{n, n});
  const double half = double(n) / 2.0, centre = (double(n) - 1.0) / 2.0;
  for (std::size_t row = 0; row < n; ++row)
    for (std::size_t col = 0; col < n; ++col) {
      int bright = 0;
      for (int sy = 0; sy < kSupersample; ++sy)
        for (int sx = 0; sx < kSupersample; ++sx) {
          const double x = (double(col) + (sx + 0.5) / kSupersample - 0.5 - centre) / half;
          const double y = (double(row) + (sy + 0.5) / kSupersample - 0.5 - centre) / half;
          if (x * x + y * y > 1.0) continue;
          const double turn = (std::atan2(y, x) + std::numbers::pi) / std::numbers::pi;  // [0, 2]
          if (int(std::floor(turn * spokes)) % 2 == 0) ++bright;
        }
      density[row * n + col] = float(bright) / float(kSupersample * kSupersample);
    }
  return density;
}

// Shepp-Logan scaled to [0, 1], so absorption and phase_shift are the values at its densest part.
ArrayF shepp_logan_density(std::size_t n) {
  ArrayF density = rasterize(shepp_logan_2d(), n, 3);
  const auto values = density.host_span();
  const float largest = *std::max_element(values.begin(), values.end());
  for (float& v : values) v = std::max(v, 0.0f) / largest;
  return density;
}

}  // namespace

ArrayCF make_complex_object(const ComplexObjectSpec& spec) {
  XRECON_CHECK(spec.size > 0, "the object size must be positive");
  XRECON_CHECK(spec.absorption >= 0.0 && spec.absorption <= 1.0,
               "absorption must be in [0, 1], got " + std::to_string(spec.absorption));
  const ArrayF density = spec.phantom == ComplexPhantom::siemens_star ? siemens_star_density(spec.size, spec.spokes)
                                                                       : shepp_logan_density(spec.size);
  ArrayCF object(density.shape());
  for (std::size_t i = 0; i < density.size(); ++i)
    object[i] = std::polar(float(1.0 - spec.absorption * density[i]), float(spec.phase_shift * density[i]));
  return object;
}

ArrayCF embed_in_free_space(const ArrayCF& object, std::size_t rows, std::size_t cols) {
  ArrayCF grid(Shape{rows, cols});
  std::fill(grid.data(), grid.data() + grid.size(), std::complex<float>(1.0f, 0.0f));
  const std::size_t in_rows = object.extent(0), in_cols = object.extent(1);
  // Offsets of the object's corner in the grid (positive) or of the grid's in the object (negative).
  const std::ptrdiff_t row_offset = (std::ptrdiff_t(rows) - std::ptrdiff_t(in_rows)) / 2;
  const std::ptrdiff_t col_offset = (std::ptrdiff_t(cols) - std::ptrdiff_t(in_cols)) / 2;
  for (std::size_t r = 0; r < in_rows; ++r) {
    const std::ptrdiff_t gr = std::ptrdiff_t(r) + row_offset;
    if (gr < 0 || gr >= std::ptrdiff_t(rows)) continue;
    for (std::size_t c = 0; c < in_cols; ++c) {
      const std::ptrdiff_t gc = std::ptrdiff_t(c) + col_offset;
      if (gc >= 0 && gc < std::ptrdiff_t(cols)) grid[std::size_t(gr) * cols + std::size_t(gc)] = object[r * in_cols + c];
    }
  }
  return grid;
}

}  // namespace xrecon::sim
