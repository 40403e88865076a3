// Sizes beyond memory say so: a model file whose weight declares a shape far larger than the file
// holds (HDF5 lets a dataset declare any shape and store nothing) ended in a bare std::bad_alloc.
// Now the reader names the file, the dataset and the sizes, before allocating.
#include <hdf5.h>

#include "hostile.hpp"

using namespace hostile;

namespace {

// The first layer of the model that has a weight: the first one the reader allocates for.
std::string first_weighted_layer(hid_t layers) {
  std::string found;
  auto visit = [](hid_t group, const char* name, const H5L_info_t*, void* out) -> herr_t {
    const std::string weight = std::string(name) + "/weight";
    if (H5Lexists(group, name, H5P_DEFAULT) > 0 && H5Lexists(group, weight.c_str(), H5P_DEFAULT) > 0) {
      *static_cast<std::string*>(out) = name;
      return 1;  // stop
    }
    return 0;
  };
  H5Literate(layers, H5_INDEX_NAME, H5_ITER_INC, nullptr, visit, &found);
  return found;
}

// Replaces that layer's weight with a chunked dataset of 2^20 x 2^20 x 3 x 3 floats (36 TiB)
// of which nothing is written; `gzip` marks it compressed. Returns the layer's path.
std::string declare_huge_weight(const fs::path& model, bool gzip) {
  const hid_t file = H5Fopen(model.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  const hid_t layers = H5Gopen2(file, "/layers", H5P_DEFAULT);
  const std::string layer = first_weighted_layer(layers);
  const std::string weight = "/layers/" + layer + "/weight";
  H5Ldelete(file, weight.c_str(), H5P_DEFAULT);
  const hsize_t dims[4] = {hsize_t(1) << 20, hsize_t(1) << 20, 3, 3}, chunk[4] = {1, 1024, 3, 3};
  const hid_t space = H5Screate_simple(4, dims, nullptr);
  const hid_t creation = H5Pcreate(H5P_DATASET_CREATE);
  H5Pset_chunk(creation, 4, chunk);
  if (gzip) H5Pset_deflate(creation, 9);
  H5Dclose(H5Dcreate2(file, weight.c_str(), H5T_IEEE_F32LE, space, H5P_DEFAULT, creation, H5P_DEFAULT));
  H5Pclose(creation);
  H5Sclose(space);
  H5Gclose(layers);
  H5Fclose(file);
  return "/layers/" + layer;
}

void expect_refused_huge_weight(bool gzip, const std::string& why) {
  TempDir dir;
  const fs::path model = dir / "model.h5";
  fs::copy_file(fs::path(XRECON_SOURCE_DIR) / "tests/prior/golden/unet_nearest1.h5", model);
  const std::string layer = declare_huge_weight(model, gzip);
  const fs::path output = dir / "enhanced.h5";
  write_older_output(output);
  const std::string enhance = "  - id: enhance\n    plugin: prior.tomogan_enhance\n    inputs: {volume: phantom.volume}\n"
                              "    with: {model: " + model.string() + ", report: " + (dir / "report.jsonl") + "}\n";
  std::ofstream(dir / "p.yaml") << phantom_pipeline(output, enhance, "enhance.volume");
  const CommandResult r = run_command(xrecon_command("run " + (dir / "p.yaml")));
  expect_clean_failure(r, model.string() + ": " + layer + ": tensor 'weight' (1048576, 1048576, 3, 3) declares " +
                              "9895604649984 values (39582418599936 bytes as float32) but the file stores only 0 " +
                              why);
  EXPECT_EQ(file_bytes(output), "an older result\n");
  EXPECT_FALSE(has_partial_files(dir.path()));
}

}  // namespace

TEST(HugeSizes, AModelWeightDeclaredFarLargerThanStoredIsRefusedNamingFileAndDataset) {
  expect_refused_huge_weight(false, "bytes of it (damaged, or never written)");
}

TEST(HugeSizes, ACompressedModelWeightTooSmallToExpandThatFarIsRefused) {
  expect_refused_huge_weight(true, "compressed bytes of it, fewer than gzip can expand to that");
}
