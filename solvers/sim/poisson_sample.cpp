#include <cmath>
#include <numbers>

#include "random_bits.hpp"
#include "xrecon/sim/noise.hpp"

namespace xrecon::sim {
namespace {

// log(k!): the exact sum while it is short, Stirling's series (error below 1e-12) beyond.
double log_factorial(double k) {
  if (k < 16.0) {
    double sum = 0.0;
    for (double i = 2.0; i <= k; ++i) sum += std::log(i);
    return sum;
  }
  const double x = k + 1.0;
  const double inv = 1.0 / x, inv2 = inv * inv;
  return (x - 0.5) * std::log(x) - x + 0.5 * std::log(2.0 * std::numbers::pi) +
         inv * (1.0 / 12.0 - inv2 * (1.0 / 360.0 - inv2 / 1260.0));
}

// Knuth's multiplication method: count uniforms until their product drops below exp(-mean).
// About mean + 1 draws, so only for small means.
std::int64_t poisson_by_multiplication(double mean, std::mt19937_64& rng) {
  const double limit = std::exp(-mean);
  std::int64_t k = 0;
  for (double product = detail::unit_uniform(rng); product > limit; product *= detail::unit_uniform(rng)) ++k;
  return k;
}

// Hormann's transformed rejection with squeeze (PTRS, 1993): a hat from a transformed uniform,
// accepted at once in about 90% of draws, whatever the mean.
std::int64_t poisson_by_transformed_rejection(double mean, std::mt19937_64& rng) {
  const double b = 0.931 + 2.53 * std::sqrt(mean);
  const double a = -0.059 + 0.02483 * b;
  const double inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
  const double v_r = 0.9277 - 3.6224 / (b - 2.0);
  const double log_mean = std::log(mean);
  for (;;) {
    const double u = detail::unit_uniform(rng) - 0.5;
    double v = detail::unit_uniform(rng);
    const double us = 0.5 - std::abs(u);
    const double k = std::floor((2.0 * a / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= v_r) return std::int64_t(k);
    if (k < 0.0 || (us < 0.013 && v > us)) continue;
    v *= inv_alpha / (a / (us * us) + b);
    if (std::log(v) <= -mean + k * log_mean - log_factorial(k)) return std::int64_t(k);
  }
}

}  // namespace

std::int64_t poisson_sample(double mean, std::mt19937_64& rng) {
  if (!(mean > 0.0)) return 0;
  // PTRS's constants are fitted for means from 10 up; below, multiplication is as fast.
  return mean < 10.0 ? poisson_by_multiplication(mean, rng) : poisson_by_transformed_rejection(mean, rng);
}

}  // namespace xrecon::sim
