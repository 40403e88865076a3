// The shipped model (models/tomogan-foam.h5) on held-out simulated slices it never saw in
// training: enhancing the FBP reconstructions raises their SSIM against the phantom by a margin.
#include <gtest/gtest.h>
#include <hdf5.h>

#include <algorithm>
#include <string>

#include "xrecon/metrics/image_quality.hpp"
#include "xrecon/prior/network.hpp"

namespace {

xrecon::ArrayF read_stack(hid_t file, const char* name) {
  const hid_t dataset = H5Dopen2(file, name, H5P_DEFAULT);
  EXPECT_GE(dataset, 0) << name;
  const hid_t space = H5Dget_space(dataset);
  hsize_t dims[3] = {0, 0, 0};
  EXPECT_EQ(H5Sget_simple_extent_ndims(space), 3);
  H5Sget_simple_extent_dims(space, dims, nullptr);
  xrecon::ArrayF a = xrecon::ArrayF::zeros(xrecon::Shape{dims[0], dims[1], dims[2]});
  EXPECT_GE(H5Dread(dataset, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, a.data()), 0);
  H5Sclose(space);
  H5Dclose(dataset);
  return a;
}

}  // namespace

TEST(ShippedModel, RaisesSsimOnHeldOutSlices) {
  const std::string models = XRECON_SOURCE_DIR "/models/";
  const xrecon::prior::Model model = xrecon::prior::load_model(models + "tomogan-foam.h5");
  const hid_t file = H5Fopen((models + "tomogan-foam-heldout.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  const xrecon::ArrayF input = read_stack(file, "input");
  const xrecon::ArrayF clean = read_stack(file, "clean");
  H5Fclose(file);

  const auto backend = xrecon::prior::backend_available(xrecon::prior::Backend::onednn)
                           ? xrecon::prior::Backend::onednn
                           : xrecon::prior::Backend::reference;
  const xrecon::ArrayF enhanced = xrecon::prior::enhance_stack(model, input, backend);
  const auto truth = clean.host_span();
  const auto [low, high] = std::minmax_element(truth.begin(), truth.end());
  const double range = double(*high) - double(*low);
  const double before = xrecon::metrics::ssim(input, clean, range);
  const double after = xrecon::metrics::ssim(enhanced, clean, range);
  std::printf("held-out SSIM: %.4f unenhanced -> %.4f enhanced\n", before, after);
  // tools/export_model.py measured 0.14 -> 0.75 on this volume in PyTorch.
  EXPECT_GT(after, before + 0.4);
}
