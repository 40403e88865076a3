#pragma once
// Two ptychography scans carry the same data and geometry (a CXI round trip, a stream replayed):
// patterns and probe bit for bit, positions to 1e-9 pixel, the rest exactly.
#include <gtest/gtest.h>

#include <algorithm>

#include <xrecon/payload.hpp>

namespace xrecon::testing {

inline void expect_same_scan(const PtychoScan& a, const PtychoScan& b) {
  EXPECT_EQ(a.sequence, b.sequence);
  EXPECT_EQ(a.angle, b.angle);
  ASSERT_EQ(a.patterns.shape(), b.patterns.shape());
  EXPECT_TRUE(std::equal(a.patterns.data(), a.patterns.data() + a.patterns.size(), b.patterns.data()));
  ASSERT_EQ(a.probe.shape(), b.probe.shape());
  EXPECT_TRUE(std::equal(a.probe.data(), a.probe.data() + a.probe.size(), b.probe.data()));
  ASSERT_EQ(a.positions.shape(), b.positions.shape());
  for (std::size_t i = 0; i < a.positions.size(); ++i) EXPECT_NEAR(a.positions[i], b.positions[i], 1e-9) << i;
  EXPECT_EQ(a.object_rows, b.object_rows);
  EXPECT_EQ(a.object_cols, b.object_cols);
  EXPECT_EQ(a.energy, b.energy);
  EXPECT_EQ(a.distance, b.distance);
  EXPECT_EQ(a.detector_pixel, b.detector_pixel);
}

}  // namespace xrecon::testing
