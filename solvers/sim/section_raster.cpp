#include "row_coverage.hpp"

#include <algorithm>
#include <cmath>

namespace xrecon::sim::detail {

void add_row_coverage(const Ellipse& ellipse, double y, std::size_t n, int supersample, double* row) {
  // A point u = x - x0 of the row is inside when A u^2 + B u + C <= 0 (the ellipse equation in
  // the rotated frame, expanded in u at fixed v = y - y0).
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

  // Sub-sample j sits at x_j = 2 (j + 0.5) / m - 1; invert that for the first and last inside.
  // Clamping in double first keeps far-away ellipses from overflowing the integer conversion.
  const double m = double(n) * supersample;
  const double first = std::clamp(std::ceil((x_left + 1.0) * m / 2.0 - 0.5), 0.0, m);
  const double last = std::clamp(std::floor((x_right + 1.0) * m / 2.0 - 0.5), -1.0, m - 1.0);
  if (first > last) return;
  const auto j_first = static_cast<std::size_t>(first);
  const auto j_last = static_cast<std::size_t>(last);
  const auto ss = static_cast<std::size_t>(supersample);
  for (std::size_t ix = j_first / ss; ix <= j_last / ss; ++ix) {
    const std::size_t covered = std::min(j_last, ix * ss + ss - 1) - std::max(j_first, ix * ss) + 1;
    row[ix] += ellipse.value * double(covered);
  }
}

}  // namespace xrecon::sim::detail
