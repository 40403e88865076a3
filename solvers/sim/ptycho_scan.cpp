// Scan trajectories for simulated ptychography and the object grid they need.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

#include "random_bits.hpp"
#include "xrecon/sim/ptycho_sim.hpp"

namespace xrecon::sim {
namespace {

ArrayD to_positions(const std::vector<double>& row_col_pairs) {
  ArrayD positions(Shape{row_col_pairs.size() / 2, 2});
  std::copy(row_col_pairs.begin(), row_col_pairs.end(), positions.data());
  return positions;
}

void check_field_and_step(double field, double step) {
  XRECON_CHECK(field >= 0.0, "the scan field must not be negative, got " + std::to_string(field));
  XRECON_CHECK(step > 0.0, "the scan step must be positive, got " + std::to_string(step));
}

}  // namespace

ArrayD raster_scan(double field, double step, double jitter, std::uint64_t seed) {
  check_field_and_step(field, step);
  XRECON_CHECK(jitter >= 0.0, "jitter must not be negative, got " + std::to_string(jitter));
  const std::size_t per_axis = std::size_t(std::floor(field / step + 1e-9)) + 1;
  std::mt19937_64 rng(detail::mix_bits(seed));
  std::vector<double> pairs;
  pairs.reserve(per_axis * per_axis * 2);
  for (std::size_t i = 0; i < per_axis; ++i)
    for (std::size_t j = 0; j < per_axis; ++j) {
      double row = double(i) * step, col = double(j) * step;
      // A perfect raster has periodic ambiguities that ptychography cannot resolve (raster grid
      // pathology); a little random displacement breaks them.
      if (jitter > 0.0) {
        row += jitter * (2.0 * detail::unit_uniform(rng) - 1.0);
        col += jitter * (2.0 * detail::unit_uniform(rng) - 1.0);
      }
      pairs.push_back(row);
      pairs.push_back(col);
    }
  return to_positions(pairs);
}

ArrayD fermat_scan(double field, double step) {
  check_field_and_step(field, step);
  const double c = step / std::sqrt(std::numbers::pi);
  const double golden_angle = std::numbers::pi * (3.0 - std::sqrt(5.0));
  const double half = field / 2.0;
  const double reach = half * std::numbers::sqrt2;  // the square's corners
  std::vector<double> pairs;
  for (std::size_t k = 0;; ++k) {
    const double radius = c * std::sqrt(double(k));
    if (radius > reach) break;
    const double row = radius * std::sin(double(k) * golden_angle);
    const double col = radius * std::cos(double(k) * golden_angle);
    if (std::abs(row) > half || std::abs(col) > half) continue;
    pairs.push_back(row + half);
    pairs.push_back(col + half);
  }
  return to_positions(pairs);
}

void shift_to_margin(ArrayD& positions, double margin) {
  const std::size_t n = positions.extent(0);
  if (n == 0) return;
  double low[2] = {std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity()};
  for (std::size_t j = 0; j < n; ++j)
    for (int axis = 0; axis < 2; ++axis) low[axis] = std::min(low[axis], positions[j * 2 + axis]);
  for (std::size_t j = 0; j < n; ++j)
    for (int axis = 0; axis < 2; ++axis) positions[j * 2 + axis] += margin - low[axis];
}

std::size_t scan_grid_extent(double max_position, std::size_t window, std::size_t margin) {
  XRECON_CHECK(max_position >= 0.0, "positions must not be negative, got " + std::to_string(max_position));
  // Also refuses NaN and a position from a file whose grid would not fit in memory (or in a
  // size_t: the conversion below is undefined beyond it), e.g. translations in the wrong units.
  XRECON_CHECK(max_position <= double(kMaxScanGridExtent),
               "a scan position of " + std::to_string(max_position) + " object pixels is beyond any object grid (" +
                   std::to_string(kMaxScanGridExtent) + " pixels at most along an axis)");
  return std::size_t(std::floor(max_position)) + window + 1 + margin;
}

double linear_overlap(const ArrayD& positions, std::size_t window) {
  const std::size_t n = positions.extent(0);
  if (n < 2) return 0.0;
  double total = 0.0;
  for (std::size_t a = 0; a < n; ++a) {
    double nearest = std::numeric_limits<double>::infinity();
    for (std::size_t b = 0; b < n; ++b)
      if (b != a)
        nearest = std::min(nearest, std::hypot(positions[a * 2] - positions[b * 2],
                                               positions[a * 2 + 1] - positions[b * 2 + 1]));
    total += nearest;
  }
  return 1.0 - total / double(n) / double(window);
}

}  // namespace xrecon::sim
