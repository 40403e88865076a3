// The reference backend against PyTorch's outputs on the golden files.
#include <gtest/gtest.h>

#include "golden.hpp"
#include "xrecon/prior/network.hpp"

namespace xrecon::prior {
namespace {

using testing::golden_path;
using testing::read_golden;
using testing::relative_error;

class ReferenceGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(ReferenceGolden, BareGraphMatchesPyTorch) {
  const Model model = load_model(golden_path(GetParam()));
  const ArrayF out = forward(model, read_golden(GetParam(), "input"), Backend::reference);
  EXPECT_LE(relative_error(out, read_golden(GetParam(), "output")), 1e-4);
}

INSTANTIATE_TEST_SUITE_P(Golden, ReferenceGolden, ::testing::ValuesIn(testing::golden_cases()));

class ReferenceEnhance : public ::testing::TestWithParam<std::string> {};

// Normalisation, residual and mapping back, untiled and in tiles smaller than the image.
TEST_P(ReferenceEnhance, EnhanceMatchesPyTorch) {
  const Model model = load_model(golden_path(GetParam()));
  const ArrayF image = read_golden(GetParam(), "image");
  const ArrayF expected = read_golden(GetParam(), "enhanced");
  EXPECT_LE(relative_error(enhance(model, image, Backend::reference, {.tile = 0}), expected), 1e-4);
  EXPECT_LE(relative_error(enhance(model, image, Backend::reference, {.tile = 16}), expected), 1e-4);
}

INSTANTIATE_TEST_SUITE_P(Golden, ReferenceEnhance, ::testing::ValuesIn(testing::golden_unets()));

TEST(Reference, BatchNormsFoldAndActivationsFuseUnlessAnotherLayerReadsTheConv) {
  const Model model = load_model(golden_path("batch_norm"));
  // bn0 (reads the input) and bn2 (its conv is also read by the add) stay; bn1, r1, bn3, l3 merge.
  int batch_norms = 0;
  for (const Layer& l : model.layers) batch_norms += l.op == Op::batch_norm;
  EXPECT_EQ(batch_norms, 2);
  EXPECT_EQ(model.layers.size(), 6u);
  EXPECT_EQ(model.layers[model.output].activation, Activation::leaky_relu);
}

TEST(Reference, TomoganGeneratorHasTheDocumentedSize) {
  const Model model = tomogan_generator(3, TomoganUpsample::bilinear, 1);
  EXPECT_EQ(model.size_multiple, 8);
  EXPECT_NEAR(double(model.parameter_count()), 695e3, 10e3);
  const ArrayF out = forward(model, ArrayF::zeros({3, 16, 16}), Backend::reference);
  EXPECT_EQ(out.shape(), Shape({1, 16, 16}));
  const Model again = tomogan_generator(3, TomoganUpsample::bilinear, 1);
  EXPECT_EQ(again.layers[3].weight, model.layers[3].weight);
}

}  // namespace
}  // namespace xrecon::prior
