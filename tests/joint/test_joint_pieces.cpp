// The pieces of joint.admm that are not roles: the transmission map and its linearised log
// (solvers, xrecon/joint), and the angle <-> slice exchange through the communicator (the plugin).
#include <gtest/gtest.h>

#include <cmath>
#include <mutex>
#include <random>
#include <vector>

#include <xrecon/joint/transmission.hpp>
#include <xrecon/joint/vector_algebra.hpp>

#include "angle_blocks.hpp"
#include "redistribute.hpp"
#include "support/fake_context.hpp"

namespace xrecon::joint_plugin {
namespace {

using joint::LinearisedLog;
using joint::linearised_log;
using joint::transmission;

TEST(Transmission, TheLinearisedLogInvertsItOnOneBranch) {
  // Air at the sides (p = q = 0) and an object between them, top to bottom, |p| < pi.
  const std::size_t rows = 12, cols = 16;
  ArrayF p = ArrayF::zeros(Shape{rows, cols}), q = ArrayF::zeros(Shape{rows, cols});
  std::mt19937 random(3);
  std::uniform_real_distribution<float> phase(-3.0f, 3.0f), attenuation(0.0f, 2.0f);
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 1; c + 1 < cols; ++c) p[r * cols + c] = phase(random), q[r * cols + c] = attenuation(random);
  const LinearisedLog back = linearised_log(transmission(p, q));
  for (std::size_t i = 0; i < p.size(); ++i) {
    EXPECT_NEAR(back.phase[i], p[i], 2e-6) << i;
    EXPECT_NEAR(back.attenuation[i], q[i], 2e-6) << i;
  }
}

TEST(Transmission, RayWeightsAreTheSquaredModulusOfTheTransmission) {
  // |H|^2 = exp(-2 q): the u-step's weights equal |t / e|^2 of a transmission with air at its sides.
  const std::size_t rows = 6, cols = 9;
  ArrayF p = ArrayF::zeros(Shape{rows, cols}), q = ArrayF::zeros(Shape{rows, cols});
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 1; c + 1 < cols; ++c) p[r * cols + c] = 0.3f * float(c), q[r * cols + c] = 0.1f * float(r + c);
  const ArrayCF h = transmission(p, q);
  const ArrayF w = joint::ray_weights(linearised_log(h).attenuation);
  ASSERT_EQ(w.shape(), q.shape());
  for (std::size_t i = 0; i < w.size(); ++i) EXPECT_NEAR(w[i], std::norm(h[i]), 1e-6) << i;
}

TEST(Transmission, AConstantFactorOfTheEstimateDoesNotReachTheVolume) {
  // Ptychography leaves a global phase and amplitude free: t * c must give what t gives.
  ArrayF p = ArrayF::zeros(Shape{6, 6}), q = ArrayF::zeros(Shape{6, 6});
  p[2 * 6 + 3] = 1.2f, q[3 * 6 + 2] = 0.4f;
  ArrayCF t = transmission(p, q);
  for (auto& v : t.host_span()) v *= std::polar(0.7f, 2.5f);
  const LinearisedLog back = linearised_log(t);
  for (std::size_t i = 0; i < p.size(); ++i) {
    EXPECT_NEAR(back.phase[i], p[i], 1e-5);
    EXPECT_NEAR(back.attenuation[i], q[i], 1e-5);
  }
}

TEST(Transmission, AStackGivesEachImageWhatItGivesAlone) {
  // Three angles, each with its own constant factor (phase and amplitude), so that each image has
  // its own side mean; the stack must refer every image to its own.
  const std::size_t count = 3, rows = 5, cols = 7;
  ArrayF p(Shape{count, rows, cols}), q(Shape{count, rows, cols});
  std::mt19937 random(5);
  std::uniform_real_distribution<float> phase(-2.5f, 2.5f), attenuation(0.0f, 1.5f);
  for (std::size_t i = 0; i < p.size(); ++i) p[i] = phase(random), q[i] = attenuation(random);
  const ArrayCF h = transmission(p, q);
  std::vector<ArrayCF> images;
  for (std::size_t k = 0; k < count; ++k) {
    const ArrayCF alone = transmission(joint::image(p, k), joint::image(q, k));
    for (std::size_t i = 0; i < alone.size(); ++i) ASSERT_EQ(h[k * alone.size() + i], alone[i]) << k << ", " << i;
    images.push_back(alone);
    for (auto& v : images.back().host_span()) v *= std::polar(0.5f + 0.3f * float(k), 1.1f * float(k));
  }
  const ArrayCF t = joint::stacked(images, Shape{rows, cols}, MemorySpace::host());
  const LinearisedLog stack = linearised_log(t);
  ASSERT_EQ(stack.phase.shape(), t.shape());
  for (std::size_t k = 0; k < count; ++k) {
    const LinearisedLog alone = linearised_log(images[k]);
    for (std::size_t i = 0; i < alone.phase.size(); ++i) {
      ASSERT_EQ(stack.phase[k * alone.phase.size() + i], alone.phase[i]) << k << ", " << i;
      ASSERT_EQ(stack.attenuation[k * alone.phase.size() + i], alone.attenuation[i]) << k << ", " << i;
    }
  }
}

TEST(Transmission, AStackImageWithoutAirAtItsSidesIsNamed) {
  ArrayCF t(Shape{3, 4, 4});
  for (std::size_t i = 0; i < t.size(); ++i) t[i] = i / 16 == 1 ? std::complex<float>(0, 0) : std::complex<float>(1, 0);
  try {
    linearised_log(t);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("no amplitude at its sides"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("image 1"), std::string::npos) << e.what();
  }
}

TEST(Redistribute, AnglesToSlicesAndBackIsAnExactAllToAll) {
  for (std::size_t ranks : {1u, 2u, 3u, 5u})
    for (auto [angles, rows] : {std::pair<std::size_t, std::size_t>{7, 4}, {3, 9}, {2, 2}}) {
      const ArrayF all = numbered(angles, rows, 5);
      const auto angle_slabs = split_slices(angles, ranks), row_slabs = split_slices(rows, ranks);
      testing::FakeContext context(testing::cpu_devices(ranks));
      std::mutex mutex;
      for_each_slab(context, rows, [&](int rank, Slab, const Device&) {
        const ArrayF mine = block(all, angle_slabs[std::size_t(rank)], {0, rows});
        const ArrayF by_slice = angles_to_slices(context.communicator(), rank, angle_slabs, row_slabs, mine);
        const ArrayF back = slices_to_angles(context.communicator(), rank, angle_slabs, row_slabs, by_slice);
        const ArrayF expected = block(all, {0, angles}, row_slabs[std::size_t(rank)]);
        std::lock_guard lock(mutex);
        ASSERT_EQ(by_slice.shape(), expected.shape()) << ranks << " ranks, rank " << rank;
        for (std::size_t i = 0; i < expected.size(); ++i) ASSERT_EQ(by_slice[i], expected[i]) << ranks << " ranks";
        ASSERT_EQ(back.shape(), mine.shape());
        for (std::size_t i = 0; i < mine.size(); ++i) ASSERT_EQ(back[i], mine[i]) << ranks << " ranks";
      });
    }
}

}  // namespace
}  // namespace xrecon::joint_plugin
