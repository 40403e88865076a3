#include "xrecon/sim/noise.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "random_bits.hpp"

namespace xrecon::sim {
namespace {

// Elements per generator: large enough to amortise seeding, small enough to spread over threads.
constexpr std::size_t kBlock = std::size_t(1) << 14;

}  // namespace

double attenuation_scale(const ArrayF& line_integrals, double max_attenuation) {
  XRECON_CHECK(max_attenuation > 0.0, "max_attenuation must be positive, got " + std::to_string(max_attenuation));
  const auto values = line_integrals.host_span();
  const float largest = values.empty() ? 0.0f : *std::max_element(values.begin(), values.end());
  return largest > 0.0f ? max_attenuation / double(largest) : 1.0;
}

ArrayF add_poisson_noise(const ArrayF& line_integrals, const PoissonNoise& noise) {
  return add_poisson_noise(line_integrals, noise, attenuation_scale(line_integrals, noise.max_attenuation));
}

ArrayF add_poisson_noise(const ArrayF& line_integrals, const PoissonNoise& noise, double k) {
  XRECON_CHECK(noise.photons > 0.0, "photons must be positive, got " + std::to_string(noise.photons));
  XRECON_CHECK(k > 0.0 && std::isfinite(k), "the attenuation scale k must be positive, got " + std::to_string(k));
  const float* in = line_integrals.data();
  ArrayF out(line_integrals.shape());
  float* result = out.data();
  const std::size_t size = line_integrals.size();
  const std::int64_t blocks = std::int64_t((size + kBlock - 1) / kBlock);
#pragma omp parallel for schedule(static)
  for (std::int64_t block = 0; block < blocks; ++block) {
    // Mixed seeds: neighbouring blocks must not start from correlated Mersenne Twister states.
    std::mt19937_64 rng(detail::mix_bits(noise.seed ^ detail::mix_bits(std::uint64_t(block))));
    const std::size_t end = std::min(size, std::size_t(block + 1) * kBlock);
    for (std::size_t i = std::size_t(block) * kBlock; i < end; ++i) {
      const double expected = noise.photons * std::exp(-double(in[i]) * k);
      const double counts = double(poisson_sample(expected, rng));
      // A zero count would give an infinite line integral; half a photon is the usual floor.
      result[i] = float(-std::log(std::max(counts, 0.5) / noise.photons) / k);
    }
  }
  return out;
}

}  // namespace xrecon::sim
