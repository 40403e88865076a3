// The CPU line-search sum (cost_change_cpu.hpp: four lanes, libmvec's log) against the shared
// element math cost_change_term summed in long double: both likelihoods, steps from 0 (every
// log1p argument 0) to large, counts that leave 0-3 elements for the scalar tail, zero model and
// zero measurements, and NaN propagating.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <limits>
#include <random>
#include <vector>

#include "../../solvers/ptycho/cost_change_cpu.hpp"
#include "../../solvers/ptycho/ptycho_math.hpp"
#include "xrecon/ptycho/ptycho.hpp"

namespace xrecon::ptycho {
namespace {

using Complex = std::complex<float>;

struct Terms {
  std::vector<Complex> z, s;
  std::vector<float> d;
};

// Spectra of magnitude up to ~300 (counts up to 1e5), steps of unit scale, measurements near the
// model (a late iteration) with a few zeros, and a few zero spectra.
Terms random_terms(std::size_t count, unsigned seed, bool gaussian) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> unit(-1.0f, 1.0f);
  std::lognormal_distribution<float> magnitude(3.0f, 1.5f);
  Terms t;
  for (std::size_t i = 0; i < count; ++i) {
    const float m = i % 97 == 0 ? 0.0f : magnitude(rng);
    t.z.push_back(std::polar(m, 3.14159f * unit(rng)));
    t.s.push_back({unit(rng), unit(rng)});
    const float model = m * m * (1.0f + 0.05f * unit(rng));
    t.d.push_back(i % 31 == 0 ? 0.0f : gaussian ? std::sqrt(model) : model);
  }
  return t;
}

long double reference_sum(const Terms& t, std::size_t count, double gamma, bool gaussian) {
  long double sum = 0;
  for (std::size_t i = 0; i < count; ++i)
    sum += detail::cost_change_term(t.z[i].real(), t.z[i].imag(), t.s[i].real(), t.s[i].imag(), gamma, t.d[i],
                                    gaussian, kPoissonEpsilon);
  return sum;
}

// The sizes of what each term is computed from: both models (the change is their difference),
// and the measurement (squared for the Gaussian's amplitudes). cost_change_term takes the
// difference of two nearly equal quantities, so a term is accurate to a few ulp of these, not of
// itself; in double that holds for the scalar terms as much as for the vector ones.
long double part_sizes(const Terms& t, std::size_t count, double gamma, bool gaussian) {
  long double sum = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const long double z_re = t.z[i].real(), z_im = t.z[i].imag();
    const long double a_re = z_re + gamma * t.s[i].real(), a_im = z_im + gamma * t.s[i].imag();
    const long double old_model = z_re * z_re + z_im * z_im, new_model = a_re * a_re + a_im * a_im;
    const long double d = t.d[i];
    sum += old_model + new_model + (gaussian ? d * d : d);
  }
  return sum;
}

TEST(CostChangeSum, MatchesTheElementMathSummedInLongDouble) {
  for (const bool gaussian : {true, false}) {
    const Terms t = random_terms(4099, gaussian ? 1 : 2, gaussian);
    for (const std::size_t count : {std::size_t(0), std::size_t(1), std::size_t(3), std::size_t(4), std::size_t(4097),
                                    std::size_t(4099)}) {
      for (const double gamma : {0.0, 1e-6, 1e-3, 0.125, 1.0, 40.0}) {
        const double got = detail::cost_change_sum(t.z.data(), t.s.data(), t.d.data(), count, gamma, gaussian,
                                                   kPoissonEpsilon);
        const long double expected = reference_sum(t, count, gamma, gaussian);
        const long double scale = part_sizes(t, count, gamma, gaussian);
        EXPECT_LE(std::abs((long double)got - expected), 1e-14L * scale)
            << (gaussian ? "gaussian" : "poisson") << " count " << count << " gamma " << gamma << ": " << got
            << " vs " << double(expected) << ", parts " << double(scale);
      }
    }
  }
}

TEST(CostChangeSum, NanInAnyLanePropagates) {
  for (const bool gaussian : {true, false}) {
    Terms t = random_terms(8, 3, gaussian);
    t.z[5] = {std::numeric_limits<float>::quiet_NaN(), 0.0f};
    EXPECT_TRUE(std::isnan(detail::cost_change_sum(t.z.data(), t.s.data(), t.d.data(), 8, 0.5, gaussian,
                                                   kPoissonEpsilon)));
  }
}

}  // namespace
}  // namespace xrecon::ptycho
