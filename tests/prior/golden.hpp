#pragma once
// The golden files of tools/golden/make_golden.py: a model plus /golden/{input, output, image,
// enhanced} computed by PyTorch.
#include <hdf5.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "xrecon/array.hpp"

namespace xrecon::prior::testing {

inline std::filesystem::path golden_path(const std::string& name) {
  return std::filesystem::path(XRECON_SOURCE_DIR) / "tests/prior/golden" / (name + ".h5");
}

inline ArrayF read_golden(const std::string& name, const std::string& dataset) {
  const hid_t file = H5Fopen(golden_path(name).c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  EXPECT_GE(file, 0) << golden_path(name);
  const hid_t set = H5Dopen2(file, ("/golden/" + dataset).c_str(), H5P_DEFAULT);
  const hid_t space = H5Dget_space(set);
  hsize_t dims[4] = {1, 1, 1, 1};
  const int rank = H5Sget_simple_extent_ndims(space);
  H5Sget_simple_extent_dims(space, dims, nullptr);
  ArrayF out = rank == 2 ? ArrayF(Shape{dims[0], dims[1]}) : ArrayF(Shape{dims[0], dims[1], dims[2]});
  H5Dread(set, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data());
  H5Sclose(space);
  H5Dclose(set);
  H5Fclose(file);
  return out;
}

// Largest difference relative to the largest magnitude of the expected values.
inline double relative_error(const ArrayF& actual, const ArrayF& expected) {
  EXPECT_EQ(actual.shape(), expected.shape());
  if (!(actual.shape() == expected.shape())) return INFINITY;
  double diff = 0, scale = 0;
  for (std::size_t k = 0; k < expected.size(); ++k) {
    diff = std::max(diff, std::abs(double(actual[k]) - expected[k]));
    scale = std::max(scale, std::abs(double(expected[k])));
  }
  return diff / std::max(scale, 1e-30);
}

inline const std::vector<std::string>& golden_cases() {
  static const std::vector<std::string> cases{"conv_ops",    "transpose_pool", "upsample_merge",  "batch_norm",
                                              "activations", "unet_bilinear3", "unet_transpose1", "unet_nearest1"};
  return cases;
}

inline const std::vector<std::string>& golden_unets() {
  static const std::vector<std::string> cases{"unet_bilinear3", "unet_transpose1", "unet_nearest1"};
  return cases;
}

}  // namespace xrecon::prior::testing
