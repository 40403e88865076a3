// The ONNX importer against PyTorch (tools/golden/make_onnx_golden.py): the exported U-Net on the
// reference and oneDNN backends, the same net read from the HDF5 format, and a refused op.
#include <gtest/gtest.h>

#include <string>

#include "golden.hpp"
#include "xrecon/error.hpp"
#include "xrecon/prior/network.hpp"

namespace xrecon::prior {
namespace {

using testing::golden_path;
using testing::read_golden;
using testing::relative_error;

std::filesystem::path onnx_path(const std::string& name) { return golden_path(name).replace_extension(".onnx"); }

// False in a build without libonnx, where the importer throws NotCompiled.
bool onnx_compiled() {
  try {
    load_onnx_model(onnx_path("onnx_unet"));
  } catch (const NotCompiled&) {
    return false;
  }
  return true;
}

// The message of the InputError that importing golden/NAME.onnx throws, "" when it loads.
std::string input_error_of(const std::string& name) {
  try {
    load_onnx_model(onnx_path(name));
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << name << ".onnx loaded";
  return "";
}

#define SKIP_WITHOUT_ONNX() \
  if (!onnx_compiled()) GTEST_SKIP() << "this build reads no ONNX (libonnx-dev missing)"

TEST(OnnxImport, MatchesPyTorchOnTheReferenceBackend) {
  SKIP_WITHOUT_ONNX();
  const Model model = load_onnx_model(onnx_path("onnx_unet"));
  const ArrayF out = forward(model, read_golden("onnx_unet", "input"), Backend::reference);
  EXPECT_LE(relative_error(out, read_golden("onnx_unet", "output")), 1e-4);
}

TEST(OnnxImport, MatchesPyTorchOnOneDnn) {
  SKIP_WITHOUT_ONNX();
  if (!backend_available(Backend::onednn)) GTEST_SKIP() << "built without oneDNN";
  const Model model = load_onnx_model(onnx_path("onnx_unet"));
  const ArrayF out = forward(model, read_golden("onnx_unet", "input"), Backend::onednn);
  EXPECT_LE(relative_error(out, read_golden("onnx_unet", "output")), 1e-4);
}

// The metadata_props stand in for the HDF5 root attributes; the batch norm folds into its conv.
TEST(OnnxImport, GivesTheModelOfTheSameNetInTheHdf5Format) {
  SKIP_WITHOUT_ONNX();
  const Model onnx = load_model(onnx_path("onnx_unet"));  // load_model dispatches on .onnx
  const Model hdf5 = load_model(golden_path("onnx_unet"));
  EXPECT_EQ(onnx.name, "onnx_unet");
  EXPECT_EQ(onnx.input_channels, hdf5.input_channels);
  EXPECT_EQ(onnx.size_multiple, hdf5.size_multiple);
  EXPECT_EQ(onnx.receptive_margin, hdf5.receptive_margin);
  EXPECT_EQ(onnx.residual, hdf5.residual);
  EXPECT_EQ(onnx.normalization.mode, hdf5.normalization.mode);
  EXPECT_EQ(onnx.normalization.lo, hdf5.normalization.lo);
  EXPECT_EQ(onnx.normalization.hi, hdf5.normalization.hi);
  EXPECT_EQ(onnx.normalization.scale, hdf5.normalization.scale);
  EXPECT_EQ(onnx.layers.size(), hdf5.layers.size());
  EXPECT_EQ(onnx.parameter_count(), hdf5.parameter_count());
  for (const Layer& l : onnx.layers) EXPECT_NE(l.op, Op::batch_norm) << l.label;

  const ArrayF input = read_golden("onnx_unet", "input");
  EXPECT_LE(relative_error(forward(onnx, input, Backend::reference), forward(hdf5, input, Backend::reference)), 1e-6);
  // The whole enhance path (normalisation from the metadata, tiles smaller than the image).
  ArrayF image(Shape{3, 24, 20});
  for (std::size_t k = 0; k < image.size(); ++k) image[k] = float(k % 37) / 12.0f - 1.0f;
  EXPECT_LE(relative_error(enhance(onnx, image, Backend::reference, {.tile = 8}),
                           enhance(hdf5, image, Backend::reference, {.tile = 8})),
            1e-6);
}

// Without metadata_props: channels from the input's shape, identity normalisation, the file's
// name; weights in float_data rather than raw_data.
TEST(OnnxImport, AModelWithoutMetadataTakesItsInputShapeAndIdentityNormalisation) {
  SKIP_WITHOUT_ONNX();
  const Model model = load_onnx_model(onnx_path("onnx_conv"));
  EXPECT_EQ(model.name, "onnx_conv");
  EXPECT_EQ(model.input_channels, 2);
  EXPECT_EQ(model.normalization.mode, Normalization::Mode::fixed);
  EXPECT_EQ(model.normalization.lo, 0);
  EXPECT_EQ(model.normalization.hi, 1);
  EXPECT_EQ(model.normalization.scale, 1);
  EXPECT_EQ(model.normalization.offset, 0);
  EXPECT_FALSE(model.residual);
  ASSERT_EQ(model.layers.size(), 1u);  // the Relu fused into the conv
  EXPECT_EQ(model.layers[0].activation, Activation::relu);
  const ArrayF out = forward(model, read_golden("onnx_conv", "input"), Backend::reference);
  EXPECT_LE(relative_error(out, read_golden("onnx_conv", "output")), 1e-5);
}

TEST(OnnxImport, AMisspeltMetadataKeyIsAnInputErrorNamingIt) {
  SKIP_WITHOUT_ONNX();
  const std::string what = input_error_of("onnx_typo");
  EXPECT_NE(what.find("'xrecon.input_chanels'"), std::string::npos) << what;
}

TEST(OnnxImport, AnUnsupportedOpIsAnInputErrorNamingTheNodeAndOp) {
  SKIP_WITHOUT_ONNX();
  const std::string what = input_error_of("onnx_softmax");
  EXPECT_NE(what.find("onnx_softmax.onnx"), std::string::npos) << what;
  EXPECT_NE(what.find("'probabilities'"), std::string::npos) << what;
  EXPECT_NE(what.find("Softmax"), std::string::npos) << what;
  EXPECT_NE(what.find("ConvTranspose"), std::string::npos) << what;  // says what is supported
}

TEST(OnnxImport, AFileThatIsNoOnnxModelIsAnInputError) {
  SKIP_WITHOUT_ONNX();
  EXPECT_THROW(load_onnx_model(golden_path("onnx_unet")), InputError);
  EXPECT_THROW(load_onnx_model(onnx_path("no_such_model")), InputError);
}

TEST(OnnxImport, ThrowsNotCompiledInABuildWithoutLibonnx) {
  if (onnx_compiled()) GTEST_SKIP() << "this build reads ONNX";
  EXPECT_THROW(load_model(onnx_path("onnx_unet")), NotCompiled);
}

}  // namespace
}  // namespace xrecon::prior
