// The ring of recent projections behind each sliding-window refresh.
#include <gtest/gtest.h>

#include "xrecon/tomo/projection_window.hpp"

namespace xrecon::tomo {
namespace {

// A 1 x 2 projection whose values are both `value`.
void add(ProjectionWindow& window, float value) {
  const float projection[2] = {value, value};
  window.add(projection, double(value) / 10);
}

std::vector<float> first_values(const ArrayF& projections) {
  std::vector<float> values;
  for (std::size_t k = 0; k < projections.extent(0); ++k) values.push_back(projections[k * 2]);
  return values;
}

TEST(ProjectionWindow, FillsThenKeepsTheMostRecent) {
  ProjectionWindow window(3, 1, 2);
  add(window, 1);
  add(window, 2);
  EXPECT_EQ(window.size(), 2u);
  EXPECT_EQ(window.projections().shape(), Shape({2, 1, 2}));
  EXPECT_EQ(first_values(window.projections()), (std::vector<float>{1, 2}));
  for (float v : {3.0f, 4.0f, 5.0f}) add(window, v);
  EXPECT_EQ(window.size(), 3u);
  // Ring order: 4 and 5 replaced 1 and 2; each value stays paired with its angle.
  EXPECT_EQ(first_values(window.projections()), (std::vector<float>{4, 5, 3}));
  EXPECT_EQ(window.angles(), (std::vector<double>{0.4, 0.5, 0.3}));
}

TEST(ProjectionWindow, NeedsRoom) {
  EXPECT_THROW(ProjectionWindow(0, 1, 1), Error);
  EXPECT_THROW(ProjectionWindow(1, 0, 1), Error);
}

}  // namespace
}  // namespace xrecon::tomo
