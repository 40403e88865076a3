// tv::prox on device memory against the CPU path (docs/architecture.md section 7). Both evaluate
// tv_math.hpp's per-element math in the same order, so they agree to float rounding; the bound is
// 1e-5 of the largest value. A swapped axis, a missed boundary or a lost z coupling is off by far
// more. Cases: 2-D images, slice stacks and 3-D volumes, with sizes that leave partial 32 x 8
// thread blocks, and in-place calls. The instantiation is named `tv` so that
// `ctest -L gpu -R tv` selects these tests. Needs a GPU: every test skips with the reason otherwise.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <ostream>
#include <random>
#include <string>

#include "support/gpu.hpp"
#include "xrecon/tv/tv.hpp"

namespace xrecon::tv {
namespace {

const MemorySpace kGpu = MemorySpace::cuda(0);
constexpr double kTolerance = 1e-5;  // relative to the largest value

// Piecewise-constant blocks plus Gaussian noise: edges in every direction for TV to keep.
ArrayF noisy_blocks(const Shape& shape, unsigned seed) {
  ArrayF v(shape);
  const std::size_t nx = shape[shape.rank() - 1], ny = shape[shape.rank() - 2];
  std::mt19937 rng(seed);
  std::normal_distribution<float> noise(0.0f, 0.15f);
  for (std::size_t i = 0; i < v.size(); ++i) {
    const std::size_t x = i % nx, y = (i / nx) % ny, z = i / (nx * ny);
    v[i] = float((x * 4 / nx + y * 3 / ny + z) % 3) * 0.5f + noise(rng);
  }
  return v;
}

double max_relative_difference(const ArrayF& actual, const ArrayF& expected) {
  EXPECT_EQ(actual.shape(), expected.shape());
  double diff = 0, scale = 0;
  for (std::size_t k = 0; k < expected.size(); ++k) {
    diff = std::max(diff, std::abs(double(actual[k]) - expected[k]));
    scale = std::max(scale, std::abs(double(expected[k])));
  }
  return diff / std::max(scale, 1e-30);
}

struct GpuCase {
  std::string name;
  Shape shape;
  Coupling coupling;
  double lambda;
};

void PrintTo(const GpuCase& c, std::ostream* os) { *os << c.name; }

class TvProxGpu : public ::testing::TestWithParam<GpuCase> {
 protected:
  ProxOptions options(std::size_t iterations) const {
    return {.lambda = GetParam().lambda, .coupling = GetParam().coupling, .iterations = iterations};
  }
};

TEST_P(TvProxGpu, MatchesTheCpuPath) {
  XRECON_REQUIRE_GPU();
  const ArrayF v = noisy_blocks(GetParam().shape, 11);
  const ArrayF cpu = prox(v, options(60));
  const ArrayF gpu = prox(v.to(kGpu), options(60));
  ASSERT_EQ(gpu.space(), kGpu);
  EXPECT_LE(max_relative_difference(gpu.to(MemorySpace::host()), cpu), kTolerance);
  // The prox did something: the result is not the input.
  EXPECT_GT(max_relative_difference(cpu, v), 1e-2);
}

TEST_P(TvProxGpu, InPlaceOnTheDeviceMatchesTheCpuPath) {
  XRECON_REQUIRE_GPU();
  const ArrayF v = noisy_blocks(GetParam().shape, 12);
  ArrayF z = v.to(kGpu);
  prox(z, z, options(25));
  EXPECT_LE(max_relative_difference(z.to(MemorySpace::host()), prox(v, options(25))), kTolerance);
}

TEST_P(TvProxGpu, LambdaZeroIsTheIdentityOnTheDevice) {
  XRECON_REQUIRE_GPU();
  const ArrayF v = noisy_blocks(GetParam().shape, 13);
  const ArrayF z = prox(v.to(kGpu), {.lambda = 0, .coupling = GetParam().coupling}).to(MemorySpace::host());
  for (std::size_t i = 0; i < z.size(); ++i) ASSERT_EQ(z[i], v[i]) << i;
}

TEST_P(TvProxGpu, MeasuresOfADeviceArrayMatchTheHostOnes) {
  XRECON_REQUIRE_GPU();
  const ArrayF v = noisy_blocks(GetParam().shape, 14);
  const GpuCase& c = GetParam();
  const ArrayF z = prox(v, options(20));
  const double tv = total_variation(v, c.coupling), f = objective(z, v, c.lambda, c.coupling);
  EXPECT_NEAR(total_variation(v.to(kGpu), c.coupling), tv, 1e-12 * tv);
  EXPECT_NEAR(objective(z.to(kGpu), v.to(kGpu), c.lambda, c.coupling), f, 1e-12 * f);
}

INSTANTIATE_TEST_SUITE_P(
    tv, TvProxGpu,
    ::testing::Values(GpuCase{"image_2d", Shape{67, 45}, Coupling::slices, 0.2},
                      GpuCase{"slices", Shape{5, 40, 70}, Coupling::slices, 0.3},
                      GpuCase{"volume", Shape{9, 33, 65}, Coupling::volume, 0.3},
                      GpuCase{"thin_volume", Shape{2, 130, 31}, Coupling::volume, 0.1},
                      GpuCase{"large_slices", Shape{3, 256, 256}, Coupling::slices, 0.25}),
    [](const ::testing::TestParamInfo<GpuCase>& info) { return info.param.name; });

}  // namespace
}  // namespace xrecon::tv
