// The oneDNN backend against PyTorch (golden files) and against the reference.
#include <gtest/gtest.h>

#include "golden.hpp"
#include "xrecon/prior/network.hpp"

namespace xrecon::prior {
namespace {

using testing::golden_path;
using testing::read_golden;
using testing::relative_error;

class OnednnGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(OnednnGolden, BareGraphMatchesPyTorch) {
  if (!backend_available(Backend::onednn)) GTEST_SKIP() << "built without oneDNN";
  const Model model = load_model(golden_path(GetParam()));
  const ArrayF out = forward(model, read_golden(GetParam(), "input"), Backend::onednn);
  EXPECT_LE(relative_error(out, read_golden(GetParam(), "output")), 1e-4);
}

INSTANTIATE_TEST_SUITE_P(Golden, OnednnGolden, ::testing::ValuesIn(testing::golden_cases()));

class OnednnEnhance : public ::testing::TestWithParam<std::string> {};

TEST_P(OnednnEnhance, TiledEnhanceMatchesPyTorch) {
  if (!backend_available(Backend::onednn)) GTEST_SKIP() << "built without oneDNN";
  const Model model = load_model(golden_path(GetParam()));
  const ArrayF expected = read_golden(GetParam(), "enhanced");
  Enhancer enhancer(model, Backend::onednn, {.tile = 16});
  EXPECT_LE(relative_error(enhancer.enhance(read_golden(GetParam(), "image")), expected), 1e-4);
}

INSTANTIATE_TEST_SUITE_P(Golden, OnednnEnhance, ::testing::ValuesIn(testing::golden_unets()));

TEST(Onednn, FullTomoganMatchesTheReference) {
  if (!backend_available(Backend::onednn)) GTEST_SKIP() << "built without oneDNN";
  for (auto up : {TomoganUpsample::bilinear, TomoganUpsample::nearest, TomoganUpsample::conv_transpose}) {
    const Model model = tomogan_generator(3, up, 5);
    ArrayF image(Shape{3, 24, 16});
    for (std::size_t k = 0; k < image.size(); ++k) image[k] = float((k * 37) % 101) / 101.0f;
    EXPECT_LE(relative_error(forward(model, image, Backend::onednn), forward(model, image, Backend::reference)), 1e-4);
  }
}

}  // namespace
}  // namespace xrecon::prior
