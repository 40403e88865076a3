// tv::prox against the double reference, and the properties a proximal operator must have.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "xrecon/tv/reference.hpp"
#include "xrecon/tv/tv.hpp"

namespace {

using xrecon::ArrayF;
using xrecon::Shape;
namespace tv = xrecon::tv;

// A noisy step edge at column 10 across a (4, 24, 20) stack.
ArrayF noisy_step() {
  ArrayF v = ArrayF::zeros(Shape{4, 24, 20});
  std::mt19937 rng(3);
  std::normal_distribution<float> noise(0.0f, 0.2f);
  for (std::size_t z = 0; z < 4; ++z)
    for (std::size_t y = 0; y < 24; ++y)
      for (std::size_t x = 0; x < 20; ++x) v[(z * 24 + y) * 20 + x] = (x >= 10 ? 1.0f : 0.0f) + noise(rng);
  return v;
}

class TvProx : public ::testing::TestWithParam<tv::Coupling> {};

TEST_P(TvProx, MatchesTheDoubleReference) {
  const ArrayF v = noisy_step();
  const tv::ProxOptions options{.lambda = 0.3, .coupling = GetParam(), .iterations = 100};
  const ArrayF z = tv::prox(v, options);
  const xrecon::ArrayD expected = tv::reference::prox(v, options);
  for (std::size_t i = 0; i < z.size(); ++i) ASSERT_NEAR(z[i], expected[i], 1e-5) << i;
}

TEST_P(TvProx, LambdaZeroIsTheIdentity) {
  const ArrayF v = noisy_step();
  const ArrayF z = tv::prox(v, {.lambda = 0, .coupling = GetParam()});
  for (std::size_t i = 0; i < z.size(); ++i) ASSERT_EQ(z[i], v[i]) << i;
}

TEST_P(TvProx, LowersTheObjectiveAndTheVariationAndKeepsTheEdge) {
  const ArrayF v = noisy_step();
  const double lambda = 0.3;
  const ArrayF z = tv::prox(v, {.lambda = lambda, .coupling = GetParam(), .iterations = 100});
  EXPECT_LT(tv::objective(z, v, lambda, GetParam()), 0.5 * tv::objective(v, v, lambda, GetParam()));
  EXPECT_LT(tv::total_variation(z, GetParam()), 0.2 * tv::total_variation(v, GetParam()));
  // The edge stays between columns 9 and 10: the row mean jumps there by most of the step.
  for (std::size_t z0 = 0; z0 < 4; ++z0) {
    double left = 0, right = 0;
    for (std::size_t y = 0; y < 24; ++y) {
      left += z[(z0 * 24 + y) * 20 + 9];
      right += z[(z0 * 24 + y) * 20 + 10];
    }
    EXPECT_GT((right - left) / 24, 0.6) << "slice " << z0;
  }
}

INSTANTIATE_TEST_SUITE_P(Couplings, TvProx, ::testing::Values(tv::Coupling::slices, tv::Coupling::volume),
                         [](const auto& info) { return info.param == tv::Coupling::slices ? "slices" : "volume"; });

}  // namespace
