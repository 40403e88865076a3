#include <cmath>
#include <random>
#include <vector>

#include <gtest/gtest.h>
#include <omp.h>

#include "xrecon/sim/noise.hpp"

namespace xrecon::sim {
namespace {

struct Moments {
  double mean = 0.0, variance = 0.0;
};

Moments moments(const float* values, std::size_t count) {
  Moments m;
  for (std::size_t i = 0; i < count; ++i) m.mean += values[i];
  m.mean /= double(count);
  for (std::size_t i = 0; i < count; ++i) m.variance += (values[i] - m.mean) * (values[i] - m.mean);
  m.variance /= double(count - 1);
  return m;
}

// Two plateaus of line integrals in pixel units; the higher one sets k.
ArrayF two_levels(std::size_t half, float high, float low) {
  ArrayF p(Shape{2, half});
  std::fill(p.data(), p.data() + half, high);
  std::fill(p.data() + half, p.data() + 2 * half, low);
  return p;
}

TEST(PoissonSample, MeanAndVarianceEqualTheMean) {
  // Both branches (multiplication below 10, transformed rejection from 10) and very large means.
  // 200000 draws: the mean is known to sqrt(mean / N), the variance to sqrt((1 / mean + 2) / N)
  // relative, at most 0.52% (mean 0.3); allow 4 standard errors and 2.5%.
  const std::size_t draws = 200'000;
  std::mt19937_64 rng(123);
  for (double mean : {0.3, 3.0, 9.99, 10.0, 37.5, 1000.0, 1e7}) {
    std::vector<float> counts(draws);
    for (float& c : counts) c = float(poisson_sample(mean, rng));
    const Moments m = moments(counts.data(), draws);
    EXPECT_NEAR(m.mean, mean, 4.0 * std::sqrt(mean / draws)) << "mean " << mean;
    EXPECT_NEAR(m.variance, mean, 0.025 * mean) << "mean " << mean;
  }
  EXPECT_EQ(poisson_sample(0.0, rng), 0);
  EXPECT_EQ(poisson_sample(-1.0, rng), 0);
}

TEST(PoissonSample, FrequenciesFollowThePoissonLaw) {
  // Each frequency within 5 binomial standard errors of exp(-mean) mean^k / k!.
  const std::size_t draws = 400'000;
  std::mt19937_64 rng(7);
  for (double mean : {3.0, 15.0}) {
    std::vector<std::size_t> histogram(64, 0);
    for (std::size_t i = 0; i < draws; ++i) {
      const std::int64_t k = poisson_sample(mean, rng);
      if (k < 64) ++histogram[std::size_t(k)];
    }
    for (int k = 0; k < 40; ++k) {
      const double p = std::exp(-mean + k * std::log(mean) - std::lgamma(k + 1.0));
      const double frequency = double(histogram[std::size_t(k)]) / draws;
      EXPECT_NEAR(frequency, p, 5.0 * std::sqrt(p * (1.0 - p) / draws) + 1e-6) << "mean " << mean << " k " << k;
    }
  }
}

TEST(PoissonNoise, ScaleMapsTheLargestIntegralToMaxAttenuation) {
  const ArrayF p = two_levels(10, 50.0f, 10.0f);
  EXPECT_DOUBLE_EQ(attenuation_scale(p, 2.0), 2.0 / 50.0);
  EXPECT_DOUBLE_EQ(attenuation_scale(ArrayF::zeros(Shape{4}), 2.0), 1.0);
  EXPECT_THROW(attenuation_scale(p, 0.0), Error);
}

TEST(PoissonNoise, MeanAndVarianceMatchTheDeltaMethod) {
  // For counts with mean lambda = N0 exp(-p k), the second-order delta method gives
  // -log(counts / N0) / k a mean of p + 1 / (2 lambda k) and a variance of exp(p k) / (N0 k^2).
  // With 200000 samples per level the standard error of the mean is std / 447 and the sample
  // variance is known to about 0.3%.
  const std::size_t half = 200'000;
  const float high = 50.0f, low = 10.0f;
  const PoissonNoise noise{1e4, 2.0, 42};
  const double k = 2.0 / high;
  const ArrayF noisy = add_poisson_noise(two_levels(half, high, low), noise);
  for (auto [offset, p] : {std::pair{std::size_t(0), double(high)}, std::pair{half, double(low)}}) {
    const Moments m = moments(noisy.data() + offset, half);
    const double variance = std::exp(p * k) / (noise.photons * k * k);
    const double standard_error = std::sqrt(variance / half);
    const double lambda = noise.photons * std::exp(-p * k);
    EXPECT_NEAR(m.mean, p + 1.0 / (2.0 * lambda * k), 4.0 * standard_error) << "p=" << p;
    EXPECT_LT(std::abs(m.mean - p), 0.001 * p) << "the bias stays small";
    EXPECT_NEAR(m.variance, variance, 0.02 * variance) << "p=" << p;
    RecordProperty("mean_minus_p_" + std::to_string(int(p)), std::to_string(m.mean - p));
    RecordProperty("variance_ratio_" + std::to_string(int(p)), std::to_string(m.variance / variance));
  }
}

TEST(PoissonNoise, DeterministicForASeedWhateverTheThreads) {
  const ArrayF p = two_levels(50'000, 30.0f, 5.0f);
  const PoissonNoise noise{1e3, 2.0, 9};
  const int threads = omp_get_max_threads();
  omp_set_num_threads(1);
  const ArrayF serial = add_poisson_noise(p, noise);
  omp_set_num_threads(std::max(threads, 2));
  const ArrayF parallel = add_poisson_noise(p, noise);
  omp_set_num_threads(threads);
  EXPECT_TRUE(std::equal(serial.data(), serial.data() + serial.size(), parallel.data()));

  PoissonNoise other = noise;
  other.seed = 10;
  const ArrayF different = add_poisson_noise(p, other);
  EXPECT_FALSE(std::equal(serial.data(), serial.data() + serial.size(), different.data()));
}

TEST(PoissonNoise, ZeroCountsStayFinite) {
  // One photon through exp(-2) attenuation: most pixels count nothing and take the 0.5 floor.
  const ArrayF p = two_levels(1000, 8.0f, 8.0f);
  const ArrayF noisy = add_poisson_noise(p, {1.0, 2.0, 3});
  const double k = 2.0 / 8.0;
  const float ceiling = float(-std::log(0.5) / k);
  for (float v : noisy.host_span()) {
    ASSERT_TRUE(std::isfinite(v));
    ASSERT_LE(v, ceiling * (1 + 1e-6f));
  }
}

TEST(PoissonNoise, AGivenScaleIsUsedAsIs) {
  // k = 0.25 given for plateaus of 10 is the k that max_attenuation 2.5 would choose for them
  // (both exact in binary), so the two calls draw the same noise.
  const ArrayF p = two_levels(1000, 10.0f, 10.0f);
  const ArrayF chosen = add_poisson_noise(p, {1e4, 2.5, 5});
  const ArrayF given = add_poisson_noise(p, {1e4, 99.0, 5}, 0.25);
  EXPECT_TRUE(std::equal(chosen.data(), chosen.data() + chosen.size(), given.data()));
  EXPECT_THROW(add_poisson_noise(p, {}, 0.0), Error);
}

TEST(PoissonNoise, KeepsTheShape) {
  const ArrayF p = ArrayF::zeros(Shape{3, 4, 5});
  const ArrayF noisy = add_poisson_noise(p, {});
  EXPECT_EQ(noisy.shape(), p.shape());
  EXPECT_THROW(add_poisson_noise(p, {0.0, 2.0, 1}), Error);
}

}  // namespace
}  // namespace xrecon::sim
