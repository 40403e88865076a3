// Host array operations against plain double-precision loops.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "xrecon/linalg/array_ops.hpp"

using namespace xrecon;

namespace {

ArrayF random_array(std::size_t n, unsigned seed, float lo = -2.0f, float hi = 2.0f) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(lo, hi);
  ArrayF a({n});
  for (std::size_t i = 0; i < n; ++i) a[i] = u(rng);
  return a;
}

constexpr std::size_t kN = 100003;  // not a multiple of any vector width or thread count
// The kernels may fuse multiply-adds (one rounding instead of two): a few ulp of |values| <= 6.
constexpr float kTol = 2e-6f;

}  // namespace

TEST(ArrayOps, DotAndNormMatchDoubleReference) {
  const ArrayF a = random_array(kN, 1), b = random_array(kN, 2);
  double reference = 0, norm = 0;
  for (std::size_t i = 0; i < kN; ++i) reference += double(a[i]) * b[i], norm += double(a[i]) * a[i];
  EXPECT_NEAR(linalg::dot(a, b), reference, 1e-9 * std::abs(norm));
  EXPECT_NEAR(linalg::squared_norm(a), norm, 1e-12 * norm);
}

TEST(ArrayOps, ElementwiseOperations) {
  const ArrayF x = random_array(kN, 3), w = random_array(kN, 4, 0.0f, 1.0f);
  ArrayF y = random_array(kN, 5);
  const ArrayF y0 = y.clone();

  linalg::axpy(0.5f, x, y);
  for (std::size_t i = 0; i < kN; i += 997) ASSERT_NEAR(y[i], y0[i] + 0.5f * x[i], kTol);
  linalg::copy(y0, y);
  linalg::xpay(x, -0.25f, y);
  for (std::size_t i = 0; i < kN; i += 997) ASSERT_NEAR(y[i], x[i] - 0.25f * y0[i], kTol);
  linalg::copy(y0, y);
  linalg::multiply(w, y);
  for (std::size_t i = 0; i < kN; i += 997) ASSERT_NEAR(y[i], y0[i] * w[i], kTol);
  linalg::copy(y0, y);
  linalg::weighted_axpy(w, x, y);
  for (std::size_t i = 0; i < kN; i += 997) ASSERT_NEAR(y[i], y0[i] + w[i] * x[i], kTol);
  linalg::copy(y0, y);
  linalg::clamp(y, -1.0f, 0.5f);
  for (std::size_t i = 0; i < kN; ++i) ASSERT_TRUE(y[i] >= -1.0f && y[i] <= 0.5f);
  linalg::fill(y, 3.0f);
  for (std::size_t i = 0; i < kN; i += 997) ASSERT_EQ(y[i], 3.0f);
}

TEST(ArrayOps, InvertAboveZeroesSmallSums) {
  ArrayF y({4});
  y[0] = 2.0f, y[1] = 1e-7f, y[2] = 0.0f, y[3] = -1.0f;
  linalg::invert_above(y, 1e-6f, 0.5f);
  EXPECT_FLOAT_EQ(y[0], 0.25f);
  EXPECT_EQ(y[1], 0.0f);
  EXPECT_EQ(y[2], 0.0f);
  EXPECT_EQ(y[3], 0.0f);
}

TEST(ArrayOps, MismatchedOperandsAreRejected) {
  ArrayF a({3}), b({4});
  EXPECT_THROW(linalg::dot(a, b), InputError);
  EXPECT_THROW(linalg::axpy(1.0f, a, b), InputError);
  ArrayF c({3});
  EXPECT_THROW(linalg::clamp(c, 1.0f, 0.0f), InputError);
}
