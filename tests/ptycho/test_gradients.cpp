// The reference gradients against central finite differences of the reference cost, for both
// likelihoods: d/dt f(x + t h) at 0 must equal 2 Re<g, h> (the convention of ptycho.hpp).
#include <gtest/gtest.h>

#include <cmath>

#include "ptycho_test_support.hpp"
#include "xrecon/ptycho/reference.hpp"

namespace xrecon::ptycho {
namespace {

using reference::ArrayCD;

struct Scan {
  ArrayCD object = reference::to_double(fixtures::random_complex(Shape{14, 14}, 11));
  ArrayCD probe = reference::to_double(fixtures::random_complex(Shape{6, 6}, 12));
  ArrayD positions = fixtures::raster_positions(14, 6, 3.0, 0.4, 13);
  ArrayF patterns;
  explicit Scan(Likelihood likelihood) {
    const ArrayCD other = reference::to_double(fixtures::random_complex(Shape{14, 14}, 14));
    const ArrayCD f = reference::farfield(other, probe, positions, 7, 8);
    patterns = ArrayF(f.shape());
    // Poisson data as photon counts of a bright beam; Gaussian as the intensities themselves.
    const double brightness = likelihood == Likelihood::poisson ? 100.0 : 1.0;
    for (std::size_t i = 0; i < f.size(); ++i) patterns[i] = float(std::round(brightness * std::norm(f[i])) / brightness);
  }
  double cost_at(const ArrayCD& o, const ArrayCD& p, Likelihood likelihood) const {
    return reference::cost(patterns, reference::farfield(o, p, positions, 7, 8), likelihood);
  }
};

ArrayCD moved(const ArrayCD& x, const ArrayCD& h, double t) {
  ArrayCD out(x.shape());
  for (std::size_t i = 0; i < x.size(); ++i) out[i] = x[i] + t * h[i];
  return out;
}

double twice_real_dot(const ArrayCD& g, const ArrayCD& h) {
  double sum = 0;
  for (std::size_t i = 0; i < g.size(); ++i) sum += 2 * (std::conj(g[i]) * h[i]).real();
  return sum;
}

class PtychoGradient : public ::testing::TestWithParam<Likelihood> {};

TEST_P(PtychoGradient, ObjectGradientMatchesFiniteDifferences) {
  const Likelihood likelihood = GetParam();
  const Scan s(likelihood);
  const ArrayCD h = reference::to_double(fixtures::random_complex(s.object.shape(), 15));
  const double t = 1e-6;
  const double numeric =
      (s.cost_at(moved(s.object, h, t), s.probe, likelihood) - s.cost_at(moved(s.object, h, -t), s.probe, likelihood)) /
      (2 * t);
  const double analytic =
      twice_real_dot(reference::object_gradient(s.patterns, s.object, s.probe, s.positions, likelihood), h);
  EXPECT_NEAR(numeric, analytic, 1e-6 * std::abs(analytic));
}

TEST_P(PtychoGradient, ProbeGradientMatchesFiniteDifferences) {
  const Likelihood likelihood = GetParam();
  const Scan s(likelihood);
  const ArrayCD h = reference::to_double(fixtures::random_complex(s.probe.shape(), 16));
  const double t = 1e-6;
  const double numeric =
      (s.cost_at(s.object, moved(s.probe, h, t), likelihood) - s.cost_at(s.object, moved(s.probe, h, -t), likelihood)) /
      (2 * t);
  const double analytic =
      twice_real_dot(reference::probe_gradient(s.patterns, s.object, s.probe, s.positions, likelihood), h);
  EXPECT_NEAR(numeric, analytic, 1e-6 * std::abs(analytic));
}

INSTANTIATE_TEST_SUITE_P(BothLikelihoods, PtychoGradient, ::testing::Values(Likelihood::gaussian, Likelihood::poisson),
                         [](const auto& info) { return info.param == Likelihood::gaussian ? "gaussian" : "poisson"; });

}  // namespace
}  // namespace xrecon::ptycho
