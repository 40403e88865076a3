// Result files: write/read round trip, layout on disk, provenance, and atomic replacement.
#include <gtest/gtest.h>
#include <hdf5.h>

#include <fstream>
#include <iterator>
#include <limits>
#include <regex>

#include <xrecon/version.hpp>

#include "support/fake_context.hpp"
#include "temp_dir.hpp"
#include "volume_reader.hpp"
#include "volume_writer.hpp"

namespace xrecon::io {
namespace {

using xrecon::testing::FakeContext;
using testing::TempDir;

Volume make_volume(std::size_t nz, std::size_t ny, std::size_t nx, float offset) {
  Volume volume;
  volume.data = ArrayF({nz, ny, nx});
  for (std::size_t i = 0; i < volume.data.size(); ++i) volume.data[i] = offset + 0.5f * float(i) - 3.0f;
  volume.voxel_size = 2.5e-6;
  volume.description = "attenuation per pixel";
  return volume;
}

std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct DatasetLayout {
  bool is_float32 = false;
  std::vector<hsize_t> chunk;
  bool gzip = false;
};

// Read with the plain C API, independently of the code under test.
DatasetLayout layout_of(const std::filesystem::path& path) {
  DatasetLayout layout;
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  const hid_t dataset = H5Dopen2(file, "/volume", H5P_DEFAULT);
  const hid_t type = H5Dget_type(dataset);
  layout.is_float32 = H5Tequal(type, H5T_IEEE_F32LE) > 0;
  const hid_t creation = H5Dget_create_plist(dataset);
  if (H5Pget_layout(creation) == H5D_CHUNKED) {
    layout.chunk.resize(3);
    H5Pget_chunk(creation, 3, layout.chunk.data());
  }
  for (int i = 0; i < H5Pget_nfilters(creation); ++i) {
    unsigned flags = 0;
    std::size_t count = 0;
    if (H5Pget_filter2(creation, unsigned(i), &flags, &count, nullptr, 0, nullptr, nullptr) == H5Z_FILTER_DEFLATE)
      layout.gzip = true;
  }
  H5Pclose(creation);
  H5Tclose(type);
  H5Dclose(dataset);
  H5Fclose(file);
  return layout;
}

TEST(VolumeFile, RoundTripKeepsValuesShapeAndAttributes) {
  TempDir dir;
  FakeContext context;
  const Volume written = make_volume(5, 6, 7, 0.0f);
  write_volume(written, dir / "out" / "recon.h5", context.provenance(), context.cancellation());

  const Volume read = read_volume(dir / "out" / "recon.h5");
  ASSERT_EQ(read.data.shape(), Shape({5, 6, 7}));
  for (std::size_t i = 0; i < written.data.size(); ++i) ASSERT_EQ(read.data[i], written.data[i]) << "at " << i;
  EXPECT_DOUBLE_EQ(read.voxel_size, 2.5e-6);
  EXPECT_EQ(read.description, "attenuation per pixel");

  const StoredProvenance stored = read_provenance(dir / "out" / "recon.h5");
  const Provenance& expected = context.provenance();
  EXPECT_EQ(stored.provenance.pipeline_text, expected.pipeline_text);
  EXPECT_EQ(stored.provenance.pipeline_path, expected.pipeline_path);
  EXPECT_EQ(stored.provenance.stage_id, expected.stage_id);
  EXPECT_EQ(stored.provenance.parameters, expected.parameters);
  EXPECT_EQ(stored.provenance.engine_version, expected.engine_version);
  EXPECT_EQ(stored.provenance.plugins, expected.plugins);
  EXPECT_TRUE(std::regex_match(stored.created, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)"))) << stored.created;
  EXPECT_TRUE(dir.partial_files().empty());
}

// Issue 13: a volume read back is checked for NaN and Inf where it is read, with the index.
TEST(VolumeFile, ANonFiniteValueIsRefusedWithItsIndex) {
  TempDir dir;
  FakeContext context;
  Volume written = make_volume(3, 4, 5, 0.0f);
  written.data[1 * 20 + 2 * 5 + 3] = std::numeric_limits<float>::quiet_NaN();
  write_volume(written, dir / "nan.h5", context.provenance(), context.cancellation());
  try {
    read_volume(dir / "nan.h5");
    FAIL() << "a NaN was read without a word";
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find((dir / "nan.h5").string()), std::string::npos) << message;
    EXPECT_NE(message.find("has a non-finite value (nan) at [1, 2, 3]"), std::string::npos) << message;
  }
}

TEST(VolumeFile, StoredAsFloat32ChunkedPerSliceWithGzip) {
  TempDir dir;
  FakeContext context;
  write_volume(make_volume(3, 4, 5, 0.0f), dir / "gzip.h5", context.provenance(), context.cancellation(), 4);
  const DatasetLayout gzip = layout_of(dir / "gzip.h5");
  EXPECT_TRUE(gzip.is_float32);
  EXPECT_EQ(gzip.chunk, (std::vector<hsize_t>{1, 4, 5}));
  EXPECT_TRUE(gzip.gzip);

  write_volume(make_volume(3, 4, 5, 0.0f), dir / "plain.h5", context.provenance(), context.cancellation(), 0);
  EXPECT_FALSE(layout_of(dir / "plain.h5").gzip);
}

TEST(VolumeFile, CompressionShrinksRedundantData) {
  TempDir dir;
  FakeContext context;
  Volume zeros;
  zeros.data = ArrayF::zeros({8, 64, 64});
  write_volume(zeros, dir / "plain.h5", context.provenance(), context.cancellation(), 0);
  write_volume(zeros, dir / "packed.h5", context.provenance(), context.cancellation(), 9);
  EXPECT_LT(std::filesystem::file_size(dir / "packed.h5") * 4, std::filesystem::file_size(dir / "plain.h5"));
  EXPECT_EQ(read_volume(dir / "packed.h5").data[100], 0.0f);
}

TEST(VolumeFile, EmptyProvenanceStillRecordsTheVersion) {
  TempDir dir;
  CancellationToken token;
  write_volume(make_volume(1, 2, 2, 0.0f), dir / "bare.h5", Provenance{}, token);
  const StoredProvenance stored = read_provenance(dir / "bare.h5");
  EXPECT_EQ(stored.provenance.engine_version, XRECON_VERSION_STRING);
  EXPECT_EQ(stored.provenance.pipeline_text, "");
}

TEST(VolumeFile, SuccessfulWriteReplacesAnExistingFile) {
  TempDir dir;
  FakeContext context;
  write_volume(make_volume(2, 2, 2, 0.0f), dir / "recon.h5", context.provenance(), context.cancellation());
  write_volume(make_volume(2, 2, 2, 100.0f), dir / "recon.h5", context.provenance(), context.cancellation());
  EXPECT_EQ(read_volume(dir / "recon.h5").data[0], 97.0f);
  EXPECT_TRUE(dir.partial_files().empty());
}

TEST(VolumeFile, CancelledWriteLeavesNoFile) {
  TempDir dir;
  FakeContext context;
  context.cancel();
  EXPECT_THROW(write_volume(make_volume(4, 3, 3, 0.0f), dir / "recon.h5", context.provenance(), context.cancellation()),
               Cancelled);
  EXPECT_FALSE(std::filesystem::exists(dir / "recon.h5"));
  EXPECT_TRUE(dir.partial_files().empty());
}

TEST(VolumeFile, FailedWriteLeavesExistingFileUntouched) {
  TempDir dir;
  FakeContext context;
  write_volume(make_volume(2, 3, 3, 0.0f), dir / "recon.h5", context.provenance(), context.cancellation());
  const std::string before = file_bytes(dir / "recon.h5");

  // Cancellation is polled per slice: this throws after the temporary file was created and its
  // attributes written, before the dataset is complete.
  context.cancel();
  EXPECT_THROW(write_volume(make_volume(4, 3, 3, 50.0f), dir / "recon.h5", context.provenance(), context.cancellation()),
               Cancelled);
  EXPECT_EQ(file_bytes(dir / "recon.h5"), before);
  EXPECT_TRUE(dir.partial_files().empty());
  EXPECT_EQ(read_volume(dir / "recon.h5").data[0], -3.0f);
}

TEST(VolumeFile, RefusesVolumesThatAreNot3D) {
  TempDir dir;
  FakeContext context;
  Volume flat;
  flat.data = ArrayF::zeros({4, 4});
  try {
    write_volume(flat, dir / "recon.h5", context.provenance(), context.cancellation());
    FAIL() << "expected Error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              (dir / "recon.h5").string() + ": cannot write a volume of shape (4x4), expected a non-empty 3-D array "
                                            "(z, y, x)");
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "recon.h5"));
}

TEST(VolumeFile, UnwritableFolderIsAnErrorNamingThePath) {
  TempDir dir;
  FakeContext context;
  std::ofstream(dir / "occupied") << "a file, not a folder";
  EXPECT_THROW(write_volume(make_volume(1, 1, 1, 0.0f), dir / "occupied" / "recon.h5", context.provenance(),
                            context.cancellation()),
               Error);
  EXPECT_TRUE(dir.partial_files().empty());
}

}  // namespace
}  // namespace xrecon::io
