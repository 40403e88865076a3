#pragma once
// Two runs of a pipeline that should agree (another device, another number of processes): the
// largest element-wise difference between the volumes they wrote.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "volume_reader.hpp"

inline double largest_difference(const std::string& a_path, const std::string& b_path) {
  const xrecon::Volume a = xrecon::io::read_volume(a_path);
  const xrecon::Volume b = xrecon::io::read_volume(b_path);
  EXPECT_EQ(a.data.shape(), b.data.shape());
  if (a.data.shape() != b.data.shape()) return INFINITY;
  double worst = 0;
  for (std::size_t i = 0; i < a.data.size(); ++i) worst = std::max(worst, double(std::fabs(a.data[i] - b.data[i])));
  return worst;
}
