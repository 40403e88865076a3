// Bad model files and bad images give InputErrors that name the file, the layer and the tensor.
#include <gtest/gtest.h>
#include <hdf5.h>

#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "golden.hpp"
#include "xrecon/error.hpp"
#include "xrecon/prior/network.hpp"

namespace xrecon::prior {
namespace {

namespace fs = std::filesystem;
using testing::golden_path;

// A copy of a golden file that the test may break.
class BrokenModel : public ::testing::Test {
 protected:
  fs::path copy(const std::string& name) {
    path_ = fs::temp_directory_path() / ("xrecon_prior_" + name + "_" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".h5");
    fs::copy_file(golden_path(name), path_, fs::copy_options::overwrite_existing);
    return path_;
  }
  void edit(const std::function<void(hid_t)>& change) {
    const hid_t file = H5Fopen(path_.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    ASSERT_GE(file, 0);
    change(file);
    H5Fclose(file);
  }
  void replace_dataset(hid_t file, const std::string& path, std::vector<hsize_t> dims) {
    H5Ldelete(file, path.c_str(), H5P_DEFAULT);
    const hid_t space = H5Screate_simple(int(dims.size()), dims.data(), nullptr);
    const hid_t set = H5Dcreate2(file, path.c_str(), H5T_NATIVE_FLOAT, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    // Written, as any exporter writes its tensors: a dataset that stores nothing is refused as
    // damaged before its shape is looked at.
    hsize_t count = 1;
    for (hsize_t d : dims) count *= d;
    const std::vector<float> zeros(count, 0.0f);
    H5Dwrite(set, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, zeros.data());
    H5Dclose(set);
    H5Sclose(space);
  }
  void replace_string(hid_t file, const std::string& object, const std::string& name, const std::string& value) {
    H5Adelete_by_name(file, object.c_str(), name.c_str(), H5P_DEFAULT);
    const hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, value.size());
    const hid_t space = H5Screate(H5S_SCALAR);
    const hid_t attr = H5Acreate_by_name(file, object.c_str(), name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT,
                                         H5P_DEFAULT);
    H5Awrite(attr, type, value.c_str());
    H5Aclose(attr);
    H5Sclose(space);
    H5Tclose(type);
  }
  // The message of the InputError that loading the broken file throws.
  std::string load_error() {
    try {
      load_model(path_);
    } catch (const InputError& e) {
      return e.what();
    }
    ADD_FAILURE() << "no InputError";
    return {};
  }
  void TearDown() override {
    if (!path_.empty()) fs::remove(path_);
  }
  fs::path path_;
};

TEST_F(BrokenModel, MissingFileIsNamed) {
  try {
    load_model("/nonexistent/model.h5");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/model.h5"), std::string::npos) << e.what();
  }
}

TEST_F(BrokenModel, MissingTensorNamesFileLayerAndTensor) {
  copy("conv_ops");
  edit([](hid_t f) { H5Ldelete(f, "/layers/002_c2/weight", H5P_DEFAULT); });
  const std::string message = load_error();
  EXPECT_NE(message.find(path_.string()), std::string::npos) << message;
  EXPECT_NE(message.find("002_c2"), std::string::npos) << message;
  EXPECT_NE(message.find("missing tensor 'weight'"), std::string::npos) << message;
}

TEST_F(BrokenModel, WrongBiasShapeIsNamed) {
  copy("conv_ops");
  edit([&](hid_t f) { replace_dataset(f, "/layers/002_c2/bias", {7}); });
  const std::string message = load_error();
  EXPECT_NE(message.find("002_c2: tensor 'bias' has shape (7), expected (5)"), std::string::npos) << message;
}

// Issue 13: a NaN weight would make every output NaN; the reader refuses it with its place.
TEST_F(BrokenModel, ANonFiniteWeightIsNamed) {
  copy("conv_ops");
  edit([](hid_t f) {
    const hid_t set = H5Dopen2(f, "/layers/002_c2/bias", H5P_DEFAULT);
    std::vector<float> bias(5, 0.0f);
    bias[3] = std::numeric_limits<float>::infinity();
    H5Dwrite(set, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, bias.data());
    H5Dclose(set);
  });
  const std::string message = load_error();
  EXPECT_NE(message.find(path_.string()), std::string::npos) << message;
  EXPECT_NE(message.find("tensor 'bias' (5) has a non-finite value (inf) at flat index 3"), std::string::npos)
      << message;
}

TEST_F(BrokenModel, WeightsTakingOtherChannelsAreNamed) {
  copy("conv_ops");
  edit([&](hid_t f) {
    replace_dataset(f, "/layers/002_c2/weight", {5, 3, 3, 3});
  });
  const std::string message = load_error();
  EXPECT_NE(message.find("layer 002_c2 (conv): weights take 3 input channels, the input has 4"), std::string::npos)
      << message;
}

TEST_F(BrokenModel, BatchNormVarianceOfTheWrongShapeIsNamed) {
  copy("batch_norm");
  edit([&](hid_t f) { replace_dataset(f, "/layers/002_bn1/variance", {3}); });
  const std::string message = load_error();
  EXPECT_NE(message.find("002_bn1: tensor 'variance' has shape (3), expected (4)"), std::string::npos) << message;
}

TEST_F(BrokenModel, UnknownOpAndDanglingInputAreNamed) {
  copy("activations");
  edit([&](hid_t f) { replace_string(f, "/layers/001_leaky", "op", "gelu"); });
  EXPECT_NE(load_error().find("001_leaky: unknown op 'gelu'"), std::string::npos);
  copy("activations");
  edit([&](hid_t f) { replace_string(f, "/", "output", "nothing"); });
  EXPECT_NE(load_error().find("attribute 'output' names 'nothing'"), std::string::npos);
}

TEST_F(BrokenModel, MissingAttributeIsNamed) {
  copy("upsample_merge");
  edit([](hid_t f) { H5Adelete_by_name(f, "/layers/003_lin1", "align_corners", H5P_DEFAULT); });
  EXPECT_NE(load_error().find("003_lin1: missing attribute 'align_corners'"), std::string::npos);
}

TEST(PriorInput, ImageSizeTheNetworkCannotTakeIsAnInputError) {
  const Model model = load_model(golden_path("unet_nearest1"));
  try {
    enhance(model, ArrayF::zeros({1, 30, 32}), Backend::reference);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("multiples of 8, got 30x32"), std::string::npos) << e.what();
  }
  // The bare graph names the layer where the sizes stop fitting.
  try {
    forward(model, ArrayF::zeros({1, 30, 32}), Backend::reference);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("cat3"), std::string::npos) << e.what();
  }
}

TEST(PriorInput, NanPixelIsAnInputErrorWithItsPosition) {
  const Model model = load_model(golden_path("unet_nearest1"));
  ArrayF image = ArrayF::zeros({1, 16, 16});
  image[3 * 16 + 4] = std::numeric_limits<float>::quiet_NaN();
  try {
    enhance(model, image, Backend::reference);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("NaN pixel at (0, 3, 4)"), std::string::npos) << e.what();
  }
}

TEST(PriorInput, WrongChannelCountIsAnInputError) {
  const Model model = load_model(golden_path("unet_bilinear3"));
  EXPECT_THROW(enhance(model, ArrayF::zeros({16, 16}), Backend::reference), InputError);
}

}  // namespace
}  // namespace xrecon::prior
