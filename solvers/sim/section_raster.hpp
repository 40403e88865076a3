#pragma once
// Shared by the 2-D and 3-D rasterisers: a row of pixels is sampled on a sub-grid, and an
// ellipse covers one interval of that row, found in closed form instead of testing each sample.
#include <cstddef>

#include "xrecon/sim/phantom.hpp"

namespace xrecon::sim::detail {

// Adds ellipse.value times the number of sub-samples inside the ellipse to each of the n pixels
// of `row`. The row lies at normalised height y; pixel ix holds the `supersample` sub-samples at
// x_j = 2 (j + 0.5) / (supersample * n) - 1 for j in [ix * supersample, (ix + 1) * supersample).
void add_row_coverage(const Ellipse& ellipse, double y, std::size_t n, int supersample, double* row);

// Normalised coordinate of sub-sample j of `count` evenly spread over [-1, 1].
inline double sub_sample_coordinate(std::size_t j, std::size_t count) {
  return 2.0 * (double(j) + 0.5) / double(count) - 1.0;
}

}  // namespace xrecon::sim::detail
