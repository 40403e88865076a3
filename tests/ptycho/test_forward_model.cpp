// The float forward model, cost and gradients against the double-precision reference, the
// centring of the zero frequency, and the adjoint of the bilinear crop.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "ptycho_test_support.hpp"
#include "xrecon/ptycho/ptycho.hpp"
#include "xrecon/ptycho/reference.hpp"
#include "xrecon/sim/ptycho_sim.hpp"

namespace xrecon::ptycho {
namespace {

using reference::ArrayCD;

// A 24x24 object, an 8x8 probe on an 11x12 detector (odd rows: the centre is not the middle of
// two), positions with fractional parts and one flush with the last row and column.
struct SmallScan {
  ArrayCF object = fixtures::random_complex(Shape{24, 24}, 1);
  ArrayCF probe = fixtures::gaussian_probe(8, 2.5);
  ArrayD positions = ArrayD(Shape{5, 2});
  std::size_t detector_rows = 11, detector_cols = 12;
  ArrayF patterns;  // of another object, so that the residual is not zero
  SmallScan() {
    const double rc[5][2] = {{0, 0}, {3.25, 7.5}, {10.9, 2.1}, {16, 16}, {15.5, 0.75}};
    for (std::size_t j = 0; j < 5; ++j) {
      positions[2 * j] = rc[j][0];
      positions[2 * j + 1] = rc[j][1];
    }
    const ArrayCF other = fixtures::random_complex(Shape{24, 24}, 2);
    patterns = fixtures::intensities(farfield(other, probe, positions, detector_rows, detector_cols));
  }
};

template <typename A, typename B>
double max_difference_relative(const A& actual, const B& expected) {
  double difference = 0, scale = 0;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    difference = std::max(difference, std::abs(std::complex<double>(actual[i]) - std::complex<double>(expected[i])));
    scale = std::max(scale, std::abs(std::complex<double>(expected[i])));
  }
  return difference / scale;
}

TEST(PtychoForward, FarfieldMatchesTheReference) {
  const SmallScan s;
  const ArrayCF fast = farfield(s.object, s.probe, s.positions, s.detector_rows, s.detector_cols);
  const ArrayCD slow = reference::farfield(reference::to_double(s.object), reference::to_double(s.probe), s.positions,
                                           s.detector_rows, s.detector_cols);
  ASSERT_EQ(fast.shape(), slow.shape());
  EXPECT_LT(max_difference_relative(fast, slow), 1e-5);
}

// The simulator (sim::farfield_intensities) and the solver must agree on the model, or solvers
// would be tested against data of another one.
TEST(PtychoForward, IntensitiesMatchTheSimulator) {
  const ArrayCF object = fixtures::random_complex(Shape{40, 40}, 5);
  const ArrayCF probe = fixtures::gaussian_probe(16, 4.0);
  const ArrayD positions = fixtures::raster_positions(39, 16, 5.0, 0.45, 6);  // one spare pixel for the simulator
  const ArrayF simulated = sim::farfield_intensities(object, probe, positions);
  const ArrayF ours = fixtures::intensities(farfield(object, probe, positions));
  ASSERT_EQ(simulated.shape(), ours.shape());
  double difference = 0, scale = 0;
  for (std::size_t i = 0; i < ours.size(); ++i) {
    difference = std::max(difference, double(std::abs(ours[i] - simulated[i])));
    scale = std::max(scale, double(simulated[i]));
  }
  EXPECT_LT(difference, 1e-5 * scale);
}

TEST(PtychoForward, ZeroFrequencyIsAtTheCentre) {
  // A flat object under a flat probe: all the energy in the zero frequency, sum(e) / sqrt(H W).
  ArrayCF object(Shape{8, 8}), probe(Shape{5, 6});
  for (auto& v : object.host_span()) v = {2.0f, 0.0f};
  for (auto& v : probe.host_span()) v = {0.0f, 1.0f};
  ArrayD positions(Shape{1, 2});
  positions[0] = 1.5;
  positions[1] = 0.25;
  const ArrayCF f = farfield(object, probe, positions);
  const std::size_t centre = (5 / 2) * 6 + 6 / 2;
  EXPECT_NEAR(f[centre].imag(), 2.0 * 30 / std::sqrt(30.0), 1e-5);
  for (std::size_t i = 0; i < f.size(); ++i)
    if (i != centre) EXPECT_LT(std::abs(f[i]), 1e-5) << "at " << i;
}

TEST(PtychoForward, CostMatchesTheReference) {
  const SmallScan s;
  const ArrayCF fast = farfield(s.object, s.probe, s.positions, s.detector_rows, s.detector_cols);
  const ArrayCD slow = reference::farfield(reference::to_double(s.object), reference::to_double(s.probe), s.positions,
                                           s.detector_rows, s.detector_cols);
  for (Likelihood likelihood : {Likelihood::gaussian, Likelihood::poisson}) {
    const double expected = reference::cost(s.patterns, slow, likelihood);
    EXPECT_NEAR(cost(s.patterns, fast, likelihood), expected, 1e-5 * std::abs(expected));
  }
}

TEST(PtychoForward, CropAdjointIsExact) {
  const SmallScan s;
  const ArrayCD x = reference::to_double(fixtures::random_complex(Shape{24, 24}, 3));
  const ArrayCD y = reference::to_double(fixtures::random_complex(Shape{5, 8, 8}, 4));
  const ArrayCD qx = reference::crop(x, s.positions, 8, 8);
  const ArrayCD qty = reference::crop_adjoint(y, s.positions, 24, 24);
  std::complex<double> left = 0, right = 0;
  for (std::size_t i = 0; i < y.size(); ++i) left += std::conj(qx[i]) * y[i];
  for (std::size_t i = 0; i < x.size(); ++i) right += std::conj(x[i]) * qty[i];
  EXPECT_LT(std::abs(left - right), 1e-12 * std::abs(left));
}

// The float gradients (FFTW, the parity-split scatter) against the reference's direct DFT and
// plain scatter: float rounding over sums of ~10^3 terms stays far below 1e-4 of the largest.
TEST(PtychoForward, GradientsMatchTheReference) {
  const SmallScan s;
  const ArrayCD object = reference::to_double(s.object), probe = reference::to_double(s.probe);
  for (Likelihood likelihood : {Likelihood::gaussian, Likelihood::poisson}) {
    EXPECT_LT(max_difference_relative(object_gradient(s.patterns, s.object, s.probe, s.positions, likelihood),
                                      reference::object_gradient(s.patterns, object, probe, s.positions, likelihood)),
              1e-4);
    EXPECT_LT(max_difference_relative(probe_gradient(s.patterns, s.object, s.probe, s.positions, likelihood),
                                      reference::probe_gradient(s.patterns, object, probe, s.positions, likelihood)),
              1e-4);
  }
}

}  // namespace
}  // namespace xrecon::ptycho
