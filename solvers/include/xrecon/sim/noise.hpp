#pragma once
// Photon-counting noise for simulated projections (Beer-Lambert with Poisson statistics).
#include <cstdint>
#include <random>

#include "xrecon/array.hpp"

namespace xrecon::sim {

struct PoissonNoise {
  double photons = 1e4;          // N0: incident photons per detector pixel
  // Line integrals in pixel units are far beyond what exp() can attenuate (exp(-100) leaves no
  // photons), so they are scaled by k such that the largest one attenuates the beam by
  // exp(-max_attenuation); the noisy result is scaled back to the original units.
  double max_attenuation = 2.0;
  std::uint64_t seed = 1;
};

// k = max_attenuation / max(p), or 1 when no value is positive (nothing to scale to).
double attenuation_scale(const ArrayF& line_integrals, double max_attenuation);

// counts ~ Poisson(N0 exp(-p k)), p_noisy = -log(max(counts, 0.5) / N0) / k, element by element.
// Deterministic for a given seed whatever the number of threads: each fixed block of elements has
// its own generator seeded from (seed, block index).
ArrayF add_poisson_noise(const ArrayF& line_integrals, const PoissonNoise& noise);
// The same with k given: a stream of projections of one object keeps one k for all of them
// (noise.max_attenuation is then unused).
ArrayF add_poisson_noise(const ArrayF& line_integrals, const PoissonNoise& noise, double k);

// One Poisson-distributed count with the given mean (0 for a mean <= 0). Written out rather than
// std::poisson_distribution so that a seed gives the same noise with every standard library, and
// because its set-up per mean is cheap (every detector pixel has its own mean).
std::int64_t poisson_sample(double mean, std::mt19937_64& rng);

}  // namespace xrecon::sim
