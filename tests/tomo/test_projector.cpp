// The optimised projector and backprojectors against the double-precision references, simple
// cases whose answer is known by hand, and the analytic line integrals of the Shepp-Logan phantom.
#include <gtest/gtest.h>

#include "tomo_test_support.hpp"
#include "xrecon/sim/phantom.hpp"
#include "xrecon/tomo/fbp.hpp"
#include "xrecon/tomo/projector.hpp"
#include "xrecon/tomo/reference.hpp"

namespace xrecon::tomo {
namespace {

using fixtures::degrees;

struct Case {
  std::size_t slices, n, cols;
  double center;
  std::vector<double> angles;
};

std::vector<Case> reference_cases() {
  return {
      {1, 40, 40, -1, {0.0, degrees(45), degrees(90), degrees(135), 0.3, 1.2, 2.0, 2.9}},
      {2, 37, 53, 30.25, fixtures::uniform_angles(17)},
      {1, 64, 45, 19.0, {-0.7, 3.3, 5.5, degrees(270)}},
      // More angles than any fixed-size table (e.g. 4096 in GPU constant memory) would hold.
      {2, 20, 26, 12.0, fixtures::uniform_angles(4500)},
  };
}

Geometry geometry_of(const Case& c) { return {.angles = c.angles, .cols = c.cols, .center = c.center, .n = c.n}; }

// Float accumulation over at most a few hundred samples; positions are double. Measured
// 2e-7 to 5e-7 of the largest value.
constexpr double kFloatTolerance = 1e-5;

TEST(Projector, MatchesReference) {
  for (const Case& c : reference_cases()) {
    const ArrayF x = fixtures::random_array(Shape{c.slices, c.n, c.n}, 3);
    const ArrayF fast = project(x, geometry_of(c));
    const ArrayD slow = reference::project(x, geometry_of(c));
    EXPECT_LT(fixtures::relative_max(fast, slow), kFloatTolerance) << "n " << c.n << " cols " << c.cols;
  }
}

TEST(Backprojector, MatchesReferenceTranspose) {
  for (const Case& c : reference_cases()) {
    const ArrayF y = fixtures::random_array(Shape{c.angles.size(), c.slices, c.cols}, 4);
    const ArrayF fast = backproject(y, geometry_of(c));
    const ArrayD slow = reference::backproject(y, geometry_of(c));
    EXPECT_LT(fixtures::relative_max(fast, slow), kFloatTolerance) << "n " << c.n << " cols " << c.cols;
  }
}

TEST(PixelDrivenBackprojector, MatchesReference) {
  for (const Case& c : reference_cases()) {
    const ArrayF y = fixtures::random_array(Shape{c.angles.size(), c.slices, c.cols}, 5);
    const ArrayF fast = backproject_pixel_driven(y, geometry_of(c));
    const ArrayD slow = reference::backproject_pixel_driven(y, geometry_of(c));
    EXPECT_LT(fixtures::relative_max(fast, slow), kFloatTolerance) << "n " << c.n << " cols " << c.cols;
  }
}

TEST(PixelDrivenBackprojector, ScaleMultiplies) {
  const Case c = reference_cases()[1];
  const ArrayF y = fixtures::random_array(Shape{c.angles.size(), c.slices, c.cols}, 6);
  const ArrayF once = backproject_pixel_driven(y, geometry_of(c));
  const ArrayF scaled = backproject_pixel_driven(y, geometry_of(c), 0.25);
  for (std::size_t i = 0; i < once.size(); ++i) ASSERT_FLOAT_EQ(scaled[i], 0.25f * once[i]);
}

// One pixel of value 1 seen along the axes: at theta = 0 the rays run along y and the pixel lands
// on column ix; at 90 degrees on column n - 1 - iy (y points up: row iy lies at y = g - iy), as in
// TomoPy, ASTRA and scikit-image. Orientation mistakes show up here first.
TEST(Projector, SinglePixelLandsWhereTheGeometrySays) {
  const std::size_t n = 9, ix = 6, iy = 2;
  ArrayF image = ArrayF::zeros(Shape{1, n, n});
  image[iy * n + ix] = 1.0f;
  const Geometry geometry{.angles = {0.0, degrees(90), degrees(180)}, .cols = n, .n = n};
  const ArrayF p = project(image, geometry);
  for (std::size_t j = 0; j < n; ++j) {
    EXPECT_FLOAT_EQ(p[0 * n + j], j == ix ? 1.0f : 0.0f) << "theta 0, column " << j;
    EXPECT_NEAR(p[1 * n + j], j == n - 1 - iy ? 1.0f : 0.0f, 1e-6) << "theta 90, column " << j;
    EXPECT_NEAR(p[2 * n + j], j == n - 1 - ix ? 1.0f : 0.0f, 1e-6) << "theta 180, column " << j;
  }
}

// A constant image of value 1 at 45 degrees: the central ray crosses the whole diagonal,
// length n * sqrt(2).
TEST(Projector, DiagonalRayLength) {
  const std::size_t n = 64;
  ArrayF image(Shape{1, n, n});
  for (float& v : image.host_span()) v = 1.0f;
  const Geometry geometry{.angles = {degrees(45)}, .cols = 2 * n - 1, .center = double(n) - 1.0, .n = n};
  const ArrayF p = project(image, geometry);
  EXPECT_NEAR(p[n - 1], n * std::sqrt(2.0), 1e-3);
}

TEST(Projector, ShiftedAxisShiftsTheSinogram) {
  const std::size_t n = 32;
  const ArrayF x = fixtures::random_array(Shape{1, n, n}, 9);
  const Geometry centred{.angles = fixtures::uniform_angles(12), .cols = n, .n = n};
  Geometry shifted = centred;
  shifted.cols = n + 6;
  shifted.center = centred.center_or_default() + 4.0;
  const ArrayF a = project(x, centred);
  const ArrayF b = project(x, shifted);
  for (std::size_t k = 0; k < 12; ++k)
    for (std::size_t j = 0; j < n; ++j) ASSERT_NEAR(b[k * (n + 6) + j + 4], a[k * n + j], 1e-4);
}

// Projection of the rasterised phantom against the exact line integrals of its ellipses. What
// differs is the pixel approximation of the ellipse edges (the 3.5-pixel skull), so the error
// halves with every doubling of n: measured relative L2 5.7% at 64^2, 2.7% at 128^2, 1.45% at
// 256^2, 0.63% at 512^2, and it is smallest with the axis exactly where the geometry puts it
// (1.65% with the analytic sinogram shifted by 0.1 pixel either way), measured in the astra
// convention (the phantom's centre on the axis); in the tomopy one, with the phantom half a pixel
// off the axis, the same tolerance holds.
TEST(Projector, MatchesAnalyticLineIntegrals) {
  const std::size_t n = 256;
  const auto phantom = sim::shepp_logan_2d();
  const ArrayF image = sim::rasterize(phantom, n, 5).reshaped(Shape{1, n, n});
  Geometry tomopy{.angles = fixtures::uniform_angles(90), .cols = n + 20, .n = n};
  EXPECT_LT(fixtures::relative_l2(project(image, tomopy), fixtures::analytic_sinogram(phantom, tomopy)), 0.02);
  const Geometry geometry{.angles = fixtures::uniform_angles(90), .cols = n + 20, .n = n, .convention = CentreConvention::astra};
  const ArrayF projected = project(image, geometry);
  EXPECT_LT(fixtures::relative_l2(projected, fixtures::analytic_sinogram(phantom, geometry)), 0.02);
  for (double shift : {-0.1, 0.1}) {
    Geometry shifted = geometry;
    shifted.center = geometry.center_or_default() + shift;
    EXPECT_GT(fixtures::relative_l2(projected, fixtures::analytic_sinogram(phantom, shifted)), 0.0155);
  }
}

// A large object without thin features has a much smaller discretisation error: measured 0.17%
// for a disc.
TEST(Projector, MatchesAnalyticLineIntegralsOfADisc) {
  const std::size_t n = 256;
  const std::vector<sim::Ellipse> disc{{1.0, 0.6, 0.6, 0.0, 0.0, 0.0}};
  const ArrayF image = sim::rasterize(disc, n, 9).reshaped(Shape{1, n, n});
  const Geometry geometry{.angles = fixtures::uniform_angles(90), .cols = n + 20, .n = n};
  EXPECT_LT(fixtures::relative_l2(project(image, geometry), fixtures::analytic_sinogram(disc, geometry)), 0.003);
}

}  // namespace
}  // namespace xrecon::tomo
