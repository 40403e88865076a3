// Tiles overlapping by the receptive margin give the untiled image up to float rounding.
#include <gtest/gtest.h>

#include <random>

#include "golden.hpp"
#include "xrecon/prior/network.hpp"

namespace xrecon::prior {
namespace {

ArrayF random_image(std::size_t c, std::size_t h, std::size_t w, unsigned seed) {
  ArrayF a(Shape{c, h, w});
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-1.0f, 2.0f);
  for (std::size_t k = 0; k < a.size(); ++k) a[k] = u(rng);
  return a;
}

class Tiling : public ::testing::TestWithParam<std::string> {};

TEST_P(Tiling, TiledEqualsUntiled) {
  const Model model = load_model(testing::golden_path(GetParam()));
  EXPECT_GT(model.receptive_margin, 0);
  const ArrayF image = random_image(model.input_channels, 64, 40, 7);
  const ArrayF whole = enhance(model, image, Backend::reference, {.tile = 0});
  for (int tile : {8, 24}) {
    SCOPED_TRACE(tile);
    EXPECT_LE(testing::relative_error(enhance(model, image, Backend::reference, {.tile = tile}), whole), 1e-6);
  }
}

INSTANTIATE_TEST_SUITE_P(Golden, Tiling, ::testing::ValuesIn(testing::golden_unets()));

TEST(Tiling, SliceStackFeedsNeighboursToThreeChannelModels) {
  const Model model = load_model(testing::golden_path("unet_bilinear3"));
  const ArrayF stack = random_image(3, 16, 16, 3);
  const ArrayF out = enhance_stack(model, stack, Backend::reference);
  ASSERT_EQ(out.shape(), stack.shape());
  // Slice 1 sees slices 0, 1, 2 in order: exactly the 3-channel image of the whole stack.
  const ArrayF middle = enhance(model, stack, Backend::reference);
  for (std::size_t k = 0; k < 256; ++k) EXPECT_EQ(out[256 + k], middle[k]);
}

}  // namespace
}  // namespace xrecon::prior
