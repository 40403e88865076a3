#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "xrecon/sim/phantom.hpp"
#include "xrecon/tomo/preprocess.hpp"
#include "xrecon/tomo/projector.hpp"

using namespace xrecon;

namespace {

ArrayF constant(Shape shape, float value) {
  ArrayF a(shape);
  for (float& v : a.host_span()) v = value;
  return a;
}

std::vector<double> angles_over(double arc_degrees, std::size_t count) {
  std::vector<double> angles(count);
  for (std::size_t k = 0; k < count; ++k) angles[k] = arc_degrees * std::numbers::pi / 180.0 * double(k) / double(count);
  return angles;
}

// Shepp-Logan projections (angles, 1, cols) with the rotation axis at `center`.
ArrayF shepp_logan_projections(std::size_t n, std::size_t cols, double center, const std::vector<double>& angles) {
  const ArrayF slice = sim::rasterize(sim::shepp_logan_2d(), n, 3);
  tomo::Geometry g{angles, cols, center, n};
  return tomo::project(slice.reshaped({1, n, n}), g);
}

}  // namespace

TEST(Preprocess, NormalizeAveragesFramesAndDividesExactly) {
  ArrayF data = constant({2, 1, 3}, 0);
  const float counts[] = {60, 110, 10, 35, 210, 1010};
  for (int i = 0; i < 6; ++i) data[i] = counts[i];
  ArrayF flats({2, 1, 3}), darks = constant({1, 1, 3}, 10);
  const float white[] = {100, 200, 1000, 120, 220, 1020};  // means 110, 210, 1010
  for (int i = 0; i < 6; ++i) flats[i] = white[i];
  tomo::normalize_flat_dark(data, flats, darks);
  const float expected[] = {0.5f, 0.5f, 0.0f, 0.25f, 1.0f, 1.0f};
  for (int i = 0; i < 6; ++i) EXPECT_NEAR(data[i], expected[i], 1e-6) << i;
  tomo::minus_log(data);
  EXPECT_NEAR(data[0], std::log(2.0), 1e-6);
  EXPECT_NEAR(data[3], std::log(4.0), 1e-6);
  EXPECT_NEAR(data[2], -std::log(tomo::kMinTransmission), 1e-3);  // fully absorbed: large, finite
}

TEST(Preprocess, DeadFlatPixelsStayFinite) {
  ArrayF data = constant({1, 1, 2}, 50), flats = constant({1, 1, 2}, 10), darks = constant({1, 1, 2}, 10);
  tomo::normalize_flat_dark(data, flats, darks);
  tomo::minus_log(data);
  for (float v : data.host_span()) EXPECT_TRUE(std::isfinite(v));
}

TEST(Preprocess, MismatchedFramesAreRejected) {
  ArrayF data = constant({2, 4, 5}, 1), flats = constant({1, 4, 6}, 1), darks = constant({1, 4, 5}, 0);
  try {
    tomo::normalize_flat_dark(data, flats, darks);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("the flat fields frames are 4 x 6, the projections 4 x 5"), std::string::npos)
        << e.what();
  }
}

TEST(Preprocess, FindsAnOffCentreAxisOverAFullTurn) {
  for (const double center : {63.5, 70.25, 55.8}) {
    const auto angles = angles_over(360, 180);  // holds exact opposite pairs
    const ArrayF p = shepp_logan_projections(128, 128, center, angles);
    const tomo::CenterEstimate found = tomo::find_center_by_correlation(p, angles);
    // Measured errors 0.00, 0.03, 0.02 px.
    EXPECT_NEAR(found.center, center, 0.1) << "true centre " << center;
    EXPECT_NEAR(found.angle_error, 0.0, 1e-12);
  }
}

TEST(Preprocess, FindsTheAxisFromAHalfTurnOneStepShortOf180Degrees) {
  const auto angles = angles_over(180, 180);  // 0..179 degrees: the best pair is 1 degree off
  const ArrayF p = shepp_logan_projections(128, 128, 66.4, angles);
  const tomo::CenterEstimate found = tomo::find_center_by_correlation(p, angles);
  // Measured 66.43 (error 0.03 px, despite the 1-degree mismatch of the pair).
  EXPECT_NEAR(found.center, 66.4, 0.15);
  EXPECT_NEAR(found.angle_error * 180.0 / std::numbers::pi, 1.0, 1e-9);
}

TEST(Preprocess, CentreFinderNeedsOppositeProjections) {
  const auto angles = angles_over(90, 30);
  const ArrayF p = shepp_logan_projections(32, 32, -1, angles);
  EXPECT_THROW(tomo::find_center_by_correlation(p, angles), InputError);
}

namespace xrecon::tomo {
namespace {

ArrayF values_of(std::vector<float> v) {
  ArrayF a({1, 1, v.size()});
  std::copy(v.begin(), v.end(), a.data());
  return a;
}

TEST(TransmissionCheck, NoisyTransmissionWithAFewDeadPixelsPasses) {
  std::vector<float> v(100, 0.6f);
  v[0] = 0.0f;    // a fully absorbed ray
  v[1] = 1.2f;    // a phase-contrast fringe
  v[2] = 40.0f;   // a dead flat pixel
  const TransmissionCheck check = check_transmission(values_of(v));
  EXPECT_TRUE(check.looks_like_transmission()) << check.describe();
  EXPECT_DOUBLE_EQ(check.above_share, 0.01);
  EXPECT_DOUBLE_EQ(check.non_positive_share, 0.01);
  EXPECT_DOUBLE_EQ(check.max_value, 40.0);
}

TEST(TransmissionCheck, LineIntegralsAndRawCountsFail) {
  // A sinogram of line integrals: zero outside the object, up to a few units inside.
  std::vector<float> sinogram(100, 0.0f);
  for (std::size_t i = 30; i < 70; ++i) sinogram[i] = 0.1f * float(i - 29);
  const TransmissionCheck line_integrals = check_transmission(values_of(sinogram));
  EXPECT_FALSE(line_integrals.looks_like_transmission());
  EXPECT_DOUBLE_EQ(line_integrals.non_positive_share, 0.6);
  EXPECT_EQ(line_integrals.describe(),
            "25.0% of the values are above 1.5 (the largest is 4), 60.0% are zero or negative");

  const TransmissionCheck counts = check_transmission(values_of(std::vector<float>(50, 1200.0f)));
  EXPECT_FALSE(counts.looks_like_transmission());
  EXPECT_DOUBLE_EQ(counts.above_share, 1.0);
}

}  // namespace
}  // namespace xrecon::tomo
