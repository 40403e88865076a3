#include <cmath>
#include <numbers>
#include <vector>

#include <gtest/gtest.h>

#include "xrecon/sim/phantom.hpp"

namespace xrecon::sim {
namespace {

bool inside(const Ellipse& e, double x, double y) {
  const double u = x - e.x0, v = y - e.y0;
  const double along_a = u * std::cos(e.phi) + v * std::sin(e.phi);
  const double along_b = -u * std::sin(e.phi) + v * std::cos(e.phi);
  return along_a * along_a / (e.a * e.a) + along_b * along_b / (e.b * e.b) <= 1.0;
}

// Midpoint rule along the ray, straight from the indicator function: independent of the closed form.
double integrate_indicator(const Ellipse& e, double s, double theta, int steps) {
  const double h = 4.0 / steps;  // t runs over [-2, 2], which covers the whole image
  double sum = 0.0;
  for (int i = 0; i < steps; ++i) {
    const double t = -2.0 + (i + 0.5) * h;
    // The ray x cos(theta) - y sin(theta) = s (phantom.hpp: y grows down the rows), walked by t.
    const double x = s * std::cos(theta) + t * std::sin(theta);
    const double y = -s * std::sin(theta) + t * std::cos(theta);
    if (inside(e, x, y)) sum += e.value * h;
  }
  return sum;
}

TEST(LineIntegral, CentredDiscIsTheChordLength) {
  const double r = 0.5, value = 1.3;
  const std::vector<Ellipse> disc{{value, r, r, 0.0, 0.0, 0.0}};
  for (double theta : {0.0, 0.3, 1.0, 2.5, -0.7}) {
    for (double s : {0.0, 0.1, -0.25, 0.4999, 0.5, 0.7, -0.9}) {
      const double expected = std::abs(s) < r ? 2.0 * std::sqrt(r * r - s * s) * value : 0.0;
      EXPECT_NEAR(line_integral(disc, s, theta), expected, 1e-12) << "s=" << s << " theta=" << theta;
    }
  }
}

TEST(LineIntegral, RotatedOffCentreEllipseMatchesQuadrature) {
  const Ellipse e{0.7, 0.3, 0.12, 0.2, -0.15, 0.6};
  const int steps = 2'000'000;  // step 2e-6: quadrature error below 2 * value * step
  for (double theta : {0.0, 0.4, std::numbers::pi / 2, 2.0, 3.0}) {
    for (double s : {-0.3, -0.1, 0.0, 0.05, 0.2}) {
      EXPECT_NEAR(line_integral({e}, s, theta), integrate_indicator(e, s, theta, steps), 1e-5)
          << "s=" << s << " theta=" << theta;
    }
  }
}

TEST(LineIntegral, ProjectionsConserveMass) {
  // Integrating a projection over s gives the phantom's total mass, at every angle.
  const auto phantom = shepp_logan_2d();
  double mass = 0.0;
  for (const Ellipse& e : phantom) mass += e.value * std::numbers::pi * e.a * e.b;
  // Midpoint rule; the square-root edges of each chord limit it to about h^1.5 per edge.
  const int steps = 200'000;
  for (double theta : {0.0, 0.5, 1.3, 2.9}) {
    double sum = 0.0;
    for (int i = 0; i < steps; ++i) sum += line_integral(phantom, -1.0 + (i + 0.5) * 2.0 / steps, theta);
    EXPECT_NEAR(sum * 2.0 / steps, mass, 1e-6 * mass) << "theta=" << theta;
  }
}

TEST(LineIntegral, MatchesColumnAndRowSumsOfTheRasterisedPhantom) {
  // theta = 0 integrates along y (columns) at x = s, theta = pi/2 along x (rows) at y = -s (the
  // projector's y points up, the rows' down). A column sum of the supersampled image averages the
  // line integral over the column's sub-sample positions.
  const std::size_t n = 256;
  const int supersample = 4;
  const auto phantom = shepp_logan_2d();
  const ArrayF image = rasterize(phantom, n, supersample);
  const double pixel = 2.0 / n;
  double worst = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    double column = 0.0, row = 0.0;
    for (std::size_t j = 0; j < n; ++j) {
      column += image[j * n + i];
      row += image[i * n + j];
    }
    double expected_column = 0.0, expected_row = 0.0;
    for (int k = 0; k < supersample; ++k) {
      const double s = 2.0 * (double(i * supersample + k) + 0.5) / double(n * supersample) - 1.0;
      expected_column += line_integral(phantom, s, 0.0) / supersample;
      expected_row += line_integral(phantom, -s, std::numbers::pi / 2) / supersample;
    }
    worst = std::max({worst, std::abs(column * pixel - expected_column), std::abs(row * pixel - expected_row)});
  }
  // The sums sample y on a grid of 1/512: each of the ~10 edges crossed costs at most one
  // sub-sample times the largest contrast (0.8 * 2 / 1024).
  EXPECT_LT(worst, 0.01);
  RecordProperty("worst_abs_error", std::to_string(worst));
}

}  // namespace
}  // namespace xrecon::sim
