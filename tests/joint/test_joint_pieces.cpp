// The pieces of joint.admm that are not roles: the transmission map and its linearised log, and
// the angle <-> slice exchange through the communicator.
#include <gtest/gtest.h>

#include <cmath>
#include <mutex>
#include <random>

#include "redistribute.hpp"
#include "support/fake_context.hpp"
#include "transmission.hpp"

namespace xrecon::joint_plugin {
namespace {

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

// (angles, rows, cols) with value 10000 a + 100 r + c.
ArrayF numbered(std::size_t angles, std::size_t rows, std::size_t cols) {
  ArrayF a(Shape{angles, rows, cols});
  for (std::size_t k = 0; k < angles; ++k)
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t c = 0; c < cols; ++c) a[(k * rows + r) * cols + c] = float(10000 * k + 100 * r + c);
  return a;
}

ArrayF block(const ArrayF& all, tomo_plugin::Slab angles, tomo_plugin::Slab rows) {
  const std::size_t R = all.extent(1), C = all.extent(2);
  ArrayF out(Shape{angles.size(), rows.size(), C});
  for (std::size_t k = 0; k < angles.size(); ++k)
    std::copy_n(all.data() + ((angles.begin + k) * R + rows.begin) * C, rows.size() * C,
                out.data() + k * rows.size() * C);
  return out;
}

TEST(Redistribute, AnglesToSlicesAndBackIsAnExactAllToAll) {
  for (std::size_t ranks : {1u, 2u, 3u, 5u})
    for (auto [angles, rows] : {std::pair<std::size_t, std::size_t>{7, 4}, {3, 9}, {2, 2}}) {
      const ArrayF all = numbered(angles, rows, 5);
      const auto angle_slabs = tomo_plugin::split_slices(angles, ranks), row_slabs = tomo_plugin::split_slices(rows, ranks);
      testing::FakeContext context(testing::cpu_devices(ranks));
      std::mutex mutex;
      tomo_plugin::for_each_slab(context, rows, [&](int rank, tomo_plugin::Slab, const Device&) {
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
