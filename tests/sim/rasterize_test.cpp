#include <cmath>
#include <numbers>
#include <numeric>
#include <vector>

#include <gtest/gtest.h>

#include "xrecon/sim/phantom.hpp"

namespace xrecon::sim {
namespace {

double sum(const ArrayF& a) {
  const auto values = a.host_span();
  return std::accumulate(values.begin(), values.end(), 0.0);
}

TEST(Rasterize, EllipseAreaInPixels) {
  // Area pi a b in normalised units is pi a b (n/2)^2 pixels. Counting sub-samples of a lattice
  // misses a little along the edge, mostly cancelling: measured at most 3.2 pixels with point
  // samples and 0.8 / 0.5 pixels with 3 / 5 sub-samples (under 0.05% of the 7720-pixel ellipse),
  // so allow 4 / supersample pixels.
  const std::size_t n = 256;
  for (const Ellipse& e : {Ellipse{1.0, 0.5, 0.3, 0.1, 0.2, 0.4}, Ellipse{1.0, 0.8, 0.1, -0.05, 0.0, 2.0},
                           Ellipse{1.0, 0.05, 0.05, 0.5, -0.6, 0.0}}) {
    const double expected = std::numbers::pi * e.a * e.b * (n / 2.0) * (n / 2.0);
    for (int supersample : {1, 3, 5}) {
      const double area = sum(rasterize({e}, n, supersample));
      EXPECT_NEAR(area, expected, 4.0 / supersample)
          << "a=" << e.a << " b=" << e.b << " supersample=" << supersample;
    }
  }
}

TEST(Rasterize, PointSamplesAtPixelCentresWithoutSupersampling) {
  // Supersample 1 samples each pixel centre: the value or nothing.
  const std::size_t n = 64;
  const Ellipse e{0.75, 0.4, 0.2, 0.1, -0.1, 0.3};
  const ArrayF image = rasterize({e}, n, 1);
  for (std::size_t iy = 0; iy < n; ++iy) {
    for (std::size_t ix = 0; ix < n; ++ix) {
      const double x = (double(ix) - (n - 1) / 2.0) / (n / 2.0) - e.x0;
      const double y = (double(iy) - (n - 1) / 2.0) / (n / 2.0) - e.y0;
      const double u = x * std::cos(e.phi) + y * std::sin(e.phi);
      const double v = -x * std::sin(e.phi) + y * std::cos(e.phi);
      const bool in = u * u / (e.a * e.a) + v * v / (e.b * e.b) <= 1.0;
      ASSERT_FLOAT_EQ(image[iy * n + ix], in ? 0.75f : 0.0f) << "pixel " << ix << ", " << iy;
    }
  }
}

TEST(Rasterize, RowIndexGrowsWithY) {
  // An ellipse at y > 0 lands in the lower half of the rows; at x > 0 in the right half of columns.
  const std::size_t n = 32;
  const ArrayF image = rasterize({{1.0, 0.2, 0.2, 0.5, 0.5, 0.0}}, n);
  EXPECT_FLOAT_EQ(image[24 * n + 24], 1.0f);
  EXPECT_FLOAT_EQ(image[8 * n + 8], 0.0f);
  EXPECT_FLOAT_EQ(image[8 * n + 24], 0.0f);
}

TEST(Rasterize, SphereVolumeInVoxels) {
  const std::size_t n = 64;
  const Ellipsoid sphere{1.0, 0.5, 0.5, 0.5, 0.1, -0.2, 0.15, 0.0};
  const double expected = 4.0 / 3.0 * std::numbers::pi * 0.125 * std::pow(n / 2.0, 3);
  const double volume = sum(rasterize(std::vector<Ellipsoid>{sphere}, n, n, n, 3));
  EXPECT_NEAR(volume, expected, 2e-3 * expected);
}

TEST(Rasterize, RejectsEmptyImagesAndZeroSupersampling) {
  EXPECT_THROW(rasterize(shepp_logan_2d(), 0), Error);
  EXPECT_THROW(rasterize(shepp_logan_2d(), 16, 0), Error);
  EXPECT_THROW(rasterize(shepp_logan_3d(), 4, 0, 4), Error);
}

}  // namespace
}  // namespace xrecon::sim
