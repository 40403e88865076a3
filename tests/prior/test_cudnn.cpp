// The cuDNN backend against PyTorch (golden files) in fp32, and fp16/bf16 within their precision.
#include <gtest/gtest.h>

#include "golden.hpp"
#include "support/gpu.hpp"
#include "xrecon/prior/network.hpp"

namespace xrecon::prior {
namespace {

using testing::golden_path;
using testing::read_golden;
using testing::relative_error;

class CudnnGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(CudnnGolden, BareGraphMatchesPyTorchInFp32) {
  XRECON_REQUIRE_GPU();
  const Model model = load_model(golden_path(GetParam()));
  const ArrayF out = forward(model, read_golden(GetParam(), "input"), Backend::cudnn);
  EXPECT_LE(relative_error(out, read_golden(GetParam(), "output")), 1e-4);
}

INSTANTIATE_TEST_SUITE_P(Golden, CudnnGolden, ::testing::ValuesIn(testing::golden_cases()));

class CudnnEnhance : public ::testing::TestWithParam<std::string> {};

TEST_P(CudnnEnhance, TiledEnhanceMatchesPyTorch) {
  XRECON_REQUIRE_GPU();
  const Model model = load_model(golden_path(GetParam()));
  Enhancer enhancer(model, Backend::cudnn, {.tile = 16});
  EXPECT_LE(relative_error(enhancer.enhance(read_golden(GetParam(), "image")), read_golden(GetParam(), "enhanced")),
            1e-4);
}

INSTANTIATE_TEST_SUITE_P(Golden, CudnnEnhance, ::testing::ValuesIn(testing::golden_unets()));

TEST(Cudnn, HalfPrecisionTomoganStaysCloseToFp32) {
  XRECON_REQUIRE_GPU();
  const Model model = tomogan_generator(1, TomoganUpsample::bilinear, 9);
  ArrayF image(Shape{1, 128, 96});
  for (std::size_t k = 0; k < image.size(); ++k) image[k] = float((k * 37) % 101) / 101.0f;
  const ArrayF fp32 = forward(model, image, Backend::cudnn);
  EXPECT_LE(relative_error(fp32, forward(model, image, Backend::reference)), 1e-4);
  EXPECT_LE(relative_error(forward(model, image, Backend::cudnn, {.precision = Precision::fp16}), fp32), 2e-2);
  EXPECT_LE(relative_error(forward(model, image, Backend::cudnn, {.precision = Precision::bf16}), fp32), 5e-2);
}

}  // namespace
}  // namespace xrecon::prior
