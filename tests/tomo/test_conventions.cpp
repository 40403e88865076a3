// The geometry conventions (docs/geometry.md) on the analytic Shepp-Logan sinogram: with the
// rotation axis at column N/2 or at (N-1)/2, in either convention, FBP finds the phantom where
// the convention puts the axis (pixel N/2 for tomopy, (N-1)/2 for astra), unshifted to within a
// tenth of a pixel, and upright: not mirrored top to bottom, the mistake TomoPy, ASTRA and
// scikit-image users saw before SDK 5.0.
#include <gtest/gtest.h>

#include <cmath>
#include <optional>

#include "tomo_test_support.hpp"
#include "xrecon/sim/phantom.hpp"
#include "xrecon/tomo/fbp.hpp"

namespace xrecon::tomo {
namespace {

constexpr std::size_t kN = 256;

// The sinogram of the phantom centred on the rotation axis at detector column `axis_column`.
ArrayF sinogram_around(double axis_column, const std::vector<double>& angles) {
  const auto phantom = sim::shepp_logan_2d();
  const double scale = double(kN) / 2.0;
  ArrayF sinogram(Shape{angles.size(), 1, kN});
  for (std::size_t k = 0; k < angles.size(); ++k)
    for (std::size_t j = 0; j < kN; ++j)
      sinogram[k * kN + j] =
          static_cast<float>(scale * sim::line_integral(phantom, (double(j) - axis_column) / scale, angles[k]));
  return sinogram;
}

// The phantom drawn with its centre on pixel (g, g) (rasterize() centres it on (N-1)/2).
ArrayF phantom_centred_at(double g) {
  auto ellipses = sim::shepp_logan_2d();
  const double shift = (g - (double(kN) - 1.0) / 2.0) / (double(kN) / 2.0);
  for (sim::Ellipse& e : ellipses) {
    e.x0 += shift;
    e.y0 += shift;  // the phantom's y grows down the rows
  }
  return sim::rasterize(ellipses, kN, 3);
}

double correlation(const ArrayF& a, const ArrayF& b, int dx, int dy) {
  double sum = 0;
  for (int iy = 8; iy < int(kN) - 8; ++iy)
    for (int ix = 8; ix < int(kN) - 8; ++ix) sum += double(a[iy * kN + ix]) * double(b[(iy + dy) * kN + ix + dx]);
  return sum;
}

// The shift (x, y) in pixels that best moves `expected` onto `image`: the cross-correlation's peak,
// refined by a parabola through it and its neighbours along each axis.
std::pair<double, double> shift_between(const ArrayF& image, const ArrayF& expected) {
  int best_x = 0, best_y = 0;
  double best = -INFINITY;
  for (int dy = -3; dy <= 3; ++dy)
    for (int dx = -3; dx <= 3; ++dx)
      if (const double c = correlation(image, expected, dx, dy); c > best) best = c, best_x = dx, best_y = dy;
  const auto refine = [](double left, double centre, double right) {
    return 0.5 * (left - right) / (left - 2 * centre + right);
  };
  const double x = best_x + refine(correlation(image, expected, best_x - 1, best_y), best,
                                   correlation(image, expected, best_x + 1, best_y));
  const double y = best_y + refine(correlation(image, expected, best_x, best_y - 1), best,
                                   correlation(image, expected, best_x, best_y + 1));
  // The correlation peaks where `expected` shifted by (x, y) matches: image(p) ~ expected(p + d).
  return {-x, -y};
}

ArrayF mirrored_top_to_bottom(const ArrayF& image) {
  ArrayF out(image.shape());
  for (std::size_t iy = 0; iy < kN; ++iy)
    for (std::size_t ix = 0; ix < kN; ++ix) out[iy * kN + ix] = image[(kN - 1 - iy) * kN + ix];
  return out;
}

struct ConventionCase {
  double axis_column;
  std::optional<double> center;  // as the user gives it; absent: the convention's default
  CentreConvention convention;
};

class Conventions : public ::testing::TestWithParam<ConventionCase> {};

TEST_P(Conventions, TheAnalyticPhantomComesBackUnshiftedAndUpright) {
  const ConventionCase c = GetParam();
  const std::vector<double> angles = fixtures::uniform_angles(360);
  const Geometry geometry{
      .angles = angles, .cols = kN, .center = c.center.value_or(-1.0), .n = kN, .convention = c.convention};
  ASSERT_DOUBLE_EQ(geometry.center_or_default(), c.axis_column);
  const ArrayF image = fbp(sinogram_around(c.axis_column, angles), geometry).reshaped(Shape{kN, kN});

  const ArrayF expected = phantom_centred_at(geometry.axis());
  const auto [dx, dy] = shift_between(image, expected);
  EXPECT_LT(std::abs(dx), 0.1) << "x shift " << dx;
  EXPECT_LT(std::abs(dy), 0.1) << "y shift " << dy;
  // The measure sees the half pixel the two conventions differ by.
  const auto [off_x, off_y] = shift_between(image, phantom_centred_at(geometry.axis() + 0.5));
  EXPECT_NEAR(off_x, -0.5, 0.1);
  EXPECT_NEAR(off_y, -0.5, 0.1);
  // Upright: the phantom matches far better than its mirror image (the small ellipses at the bottom).
  const double upright = fixtures::relative_l2(image, expected);
  const double mirrored = fixtures::relative_l2(image, mirrored_top_to_bottom(expected));
  EXPECT_LT(upright, 0.5 * mirrored) << "upright " << upright << ", mirrored " << mirrored;
}

INSTANTIATE_TEST_SUITE_P(
    AxisAndConvention, Conventions,
    ::testing::Values(ConventionCase{128.0, std::nullopt, CentreConvention::tomopy},  // N/2: TomoPy's, skimage's
                      ConventionCase{127.5, 127.5, CentreConvention::tomopy},
                      ConventionCase{127.5, std::nullopt, CentreConvention::astra},  // (N-1)/2: ASTRA's
                      ConventionCase{128.0, 128.0, CentreConvention::astra}),
    [](const auto& info) {
      const ConventionCase& c = info.param;
      return std::string(to_string(c.convention)) + (c.axis_column == 128.0 ? "_axis_N_over_2" : "_axis_N_minus_1_over_2") +
             (c.center ? "_given" : "_default");
    });

}  // namespace
}  // namespace xrecon::tomo
