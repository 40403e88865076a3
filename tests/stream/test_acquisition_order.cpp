// The angle sequences sim.detector_stream acquires.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "xrecon/error.hpp"
#include "xrecon/sim/acquisition.hpp"

namespace xrecon::sim {
namespace {

constexpr double kPi = std::numbers::pi;

// k of each angle k * pi / n.
std::vector<std::size_t> steps(const std::vector<double>& angles, std::size_t n) {
  std::vector<std::size_t> k;
  for (double a : angles) k.push_back(std::size_t(std::lround(a * double(n) / kPi)));
  return k;
}

TEST(AcquisitionOrder, SequentialStepsThroughTheHalfTurnEachRotation) {
  const std::vector<double> angles = acquisition_angles(4, 2, AngleOrder::sequential);
  EXPECT_EQ(angles, (std::vector<double>{0, kPi / 4, kPi / 2, 3 * kPi / 4, 0, kPi / 4, kPi / 2, 3 * kPi / 4}));
}

TEST(AcquisitionOrder, InterleavedIsBitReversedForPowersOfTwo) {
  EXPECT_EQ(steps(acquisition_angles(8, 1, AngleOrder::interleaved), 8),
            (std::vector<std::size_t>{0, 4, 2, 6, 1, 5, 3, 7}));
}

TEST(AcquisitionOrder, InterleavedSkipsIndicesBeyondTheCount) {
  // Bit-reversed 0..7 is 0 4 2 6 1 5 3 7; 6 and 7 do not exist for 6 angles.
  EXPECT_EQ(steps(acquisition_angles(6, 2, AngleOrder::interleaved), 6),
            (std::vector<std::size_t>{0, 4, 2, 1, 5, 3, 0, 4, 2, 1, 5, 3}));
}

TEST(AcquisitionOrder, InterleavedUsesEveryAngleOnceAndSpreadsEveryPrefix) {
  const std::size_t n = 180;
  const std::vector<double> angles = acquisition_angles(n, 1, AngleOrder::interleaved);
  std::vector<std::size_t> k = steps(angles, n);
  // The first 16 leave no gap wider than 2 * 180 / 16 degrees, where sequential ones span 16 degrees.
  std::vector<std::size_t> first(k.begin(), k.begin() + 16);
  std::sort(first.begin(), first.end());
  std::size_t widest = n - first.back() + first.front();
  for (std::size_t i = 1; i < first.size(); ++i) widest = std::max(widest, first[i] - first[i - 1]);
  EXPECT_LE(widest, 2 * n / 16);
  std::sort(k.begin(), k.end());
  for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(k[i], i);
}

TEST(AcquisitionOrder, OneProjectionPerRotationAtLeast) {
  EXPECT_EQ(acquisition_angles(1, 3, AngleOrder::interleaved), (std::vector<double>{0, 0, 0}));
  EXPECT_THROW(acquisition_angles(0, 1, AngleOrder::sequential), Error);
}

}  // namespace
}  // namespace xrecon::sim
