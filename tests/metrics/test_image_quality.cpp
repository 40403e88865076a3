// RMSE and SSIM against values worked out by hand and against a plain reference that evaluates
// the paper's formula with the 2-D window directly (the implementation filters separably).
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "xrecon/metrics/image_quality.hpp"

namespace xrecon::metrics {
namespace {

ArrayF filled(Shape shape, float value) {
  ArrayF a(shape);
  for (float& v : a.host_span()) v = value;
  return a;
}

ArrayF random_image(Shape shape, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(0.0f, 1.0f);
  ArrayF a(shape);
  for (float& v : a.host_span()) v = dist(rng);
  return a;
}

ArrayF plus(const ArrayF& a, float d) {
  ArrayF b = a.clone();
  for (float& v : b.host_span()) v += d;
  return b;
}

// Mean SSIM over every position where the 11 x 11 window fits, each window weighted by the 2-D
// Gaussian exp(-(dx^2 + dy^2) / (2 * 1.5^2)) normalised to sum 1; slices (z, y, x) in turn.
double reference_ssim(const ArrayF& a, const ArrayF& b, double range) {
  const std::size_t slices = a.extent(0), h = a.extent(1), w = a.extent(2), n = 11;
  double weights[11][11], total = 0;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      const double dy = double(i) - 5.0, dx = double(j) - 5.0;
      total += weights[i][j] = std::exp(-(dx * dx + dy * dy) / (2 * 1.5 * 1.5));
    }
  const double c1 = (0.01 * range) * (0.01 * range), c2 = (0.03 * range) * (0.03 * range);
  double sum = 0;
  std::size_t count = 0;
  for (std::size_t z = 0; z < slices; ++z)
    for (std::size_t y = 0; y + n <= h; ++y)
      for (std::size_t x = 0; x + n <= w; ++x) {
        double ma = 0, mb = 0;
        for (std::size_t i = 0; i < n; ++i)
          for (std::size_t j = 0; j < n; ++j) {
            const std::size_t at = (z * h + y + i) * w + x + j;
            ma += weights[i][j] / total * a[at];
            mb += weights[i][j] / total * b[at];
          }
        double va = 0, vb = 0, cov = 0;
        for (std::size_t i = 0; i < n; ++i)
          for (std::size_t j = 0; j < n; ++j) {
            const std::size_t at = (z * h + y + i) * w + x + j;
            const double wt = weights[i][j] / total;
            va += wt * (a[at] - ma) * (a[at] - ma);
            vb += wt * (b[at] - mb) * (b[at] - mb);
            cov += wt * (a[at] - ma) * (b[at] - mb);
          }
        sum += (2 * ma * mb + c1) * (2 * cov + c2) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
        ++count;
      }
  return sum / double(count);
}

TEST(Rmse, KnownValues) {
  ArrayF a = ArrayF::zeros({2});
  ArrayF b(Shape{2});
  b[0] = 3, b[1] = 4;
  EXPECT_DOUBLE_EQ(rmse(a, b), std::sqrt(12.5));
  EXPECT_DOUBLE_EQ(rmse(b, a), std::sqrt(12.5));
  const ArrayF image = random_image({3, 16, 16}, 1);
  EXPECT_EQ(rmse(image, image), 0.0);
  // Adding a constant d shifts every element by d (to float rounding of the sums).
  EXPECT_NEAR(rmse(image, plus(image, 0.25f)), 0.25, 1e-6);
  EXPECT_THROW(rmse(a, ArrayF::zeros({3})), Error);
}

TEST(Ssim, IdenticalImagesScoreOne) {
  const ArrayF a = random_image({2, 32, 24}, 2);
  EXPECT_DOUBLE_EQ(ssim(a, a, 1.0), 1.0);
  EXPECT_DOUBLE_EQ(ssim(a.reshaped({64, 24}), a.reshaped({64, 24}), 1.0), 1.0);
}

TEST(Ssim, ConstantImagesByHand) {
  // No variance: the structure term is C2 / C2 = 1, and the luminance term with L = 1,
  // C1 = 1e-4 is (2 * 0.5 * 0.25 + C1) / (0.25 + 0.0625 + C1) = 0.2501 / 0.3126.
  const ArrayF a = filled({16, 16}, 0.5f), b = filled({16, 16}, 0.25f);
  EXPECT_NEAR(ssim(a, b, 1.0), 0.2501 / 0.3126, 1e-12);
  // A constant shift d of a constant image: (2 c (c + d) + C1) / (c^2 + (c + d)^2 + C1).
  const ArrayF shifted = filled({16, 16}, 0.75f);
  EXPECT_NEAR(ssim(a, shifted, 1.0), (2 * 0.5 * 0.75 + 1e-4) / (0.25 + 0.5625 + 1e-4), 1e-12);
}

TEST(Ssim, OneWindowMatchesTheFormula) {
  // An 11 x 11 image is exactly one window position.
  const ArrayF a = random_image({1, 11, 11}, 3), b = random_image({1, 11, 11}, 4);
  EXPECT_NEAR(ssim(a, b, 1.0), reference_ssim(a, b, 1.0), 1e-12);
}

TEST(Ssim, SlidingWindowsAndSlicesMatchTheFormula) {
  const ArrayF a = random_image({3, 20, 17}, 5);
  ArrayF b = a.clone();
  std::mt19937 rng(6);
  std::normal_distribution<float> noise(0.0f, 0.2f);
  for (float& v : b.host_span()) v += noise(rng);
  const double value = ssim(a, b, 1.0);
  EXPECT_NEAR(value, reference_ssim(a, b, 1.0), 1e-12);
  EXPECT_GT(value, 0.0);
  EXPECT_LT(value, 1.0);
  EXPECT_NEAR(value, ssim(b, a, 1.0), 1e-12) << "symmetric";
}

TEST(Ssim, ConstantShiftLowersOnlyTheLuminanceTerm) {
  // Shifting a textured image leaves its variance and covariance, so the score falls with |d|,
  // and equals the reference, whose structure term is exactly 1.
  const ArrayF a = random_image({1, 24, 24}, 7);
  double previous = 1.0;
  for (float d : {0.05f, 0.2f, 0.5f}) {
    const double value = ssim(a, plus(a, d), 1.0);
    EXPECT_NEAR(value, reference_ssim(a, plus(a, d), 1.0), 1e-9) << "d " << d;
    EXPECT_LT(value, previous) << "d " << d;
    previous = value;
  }
}

TEST(Ssim, ScalingValuesAndRangeTogetherChangesNothing) {
  const ArrayF a = random_image({1, 16, 16}, 8), b = random_image({1, 16, 16}, 9);
  ArrayF a10 = a.clone(), b10 = b.clone();
  for (float& v : a10.host_span()) v *= 10;
  for (float& v : b10.host_span()) v *= 10;
  EXPECT_NEAR(ssim(a10, b10, 10.0), ssim(a, b, 1.0), 1e-6) << "to the float rounding of the scaled values";
}

TEST(Ssim, RejectsWhatItCannotScore) {
  const ArrayF a = random_image({1, 16, 16}, 10);
  EXPECT_THROW(ssim(a, random_image({1, 16, 15}, 11), 1.0), Error);
  EXPECT_THROW(ssim(random_image({10, 16}, 12), random_image({10, 16}, 12), 1.0), Error);
  EXPECT_THROW(ssim(a, a, 0.0), Error);
  EXPECT_THROW(ssim(ArrayF::zeros({16}), ArrayF::zeros({16}), 1.0), Error);
}

}  // namespace
}  // namespace xrecon::metrics
