// Broken and mis-shaped input files: each gives one clear InputError naming the file and the
// dataset, never a crash or HDF5's error stack on stderr.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>

#include "dxchange_reader.hpp"
#include "synthetic_hdf5.hpp"
#include "temp_dir.hpp"
#include "volume_reader.hpp"

namespace xrecon::io {
namespace {

using testing::DxchangeFixture;
using testing::SyntheticHdf5;
using testing::TempDir;

// The message of the InputError that `read` throws, or a failure when it throws none.
template <typename Read>
std::string input_error_of(Read read) {
  try {
    read();
  } catch (const ParamError& e) {
    ADD_FAILURE() << "expected an InputError about the file, got a ParamError: " << e.what();
    return {};
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected an InputError, nothing was thrown";
  return {};
}

std::string dxchange_error(const std::filesystem::path& path, const DxchangeOptions& options = {}) {
  return input_error_of([&] { read_dxchange(path, options); });
}

TEST(FileErrors, MissingFile) {
  TempDir dir;
  const auto path = dir / "absent.h5";
  EXPECT_EQ(dxchange_error(path), path.string() + ": file not found");
  EXPECT_EQ(input_error_of([&] { read_volume(path); }), path.string() + ": file not found");
}

TEST(FileErrors, FolderInsteadOfFile) {
  TempDir dir;
  EXPECT_EQ(dxchange_error(dir.path()), dir.path().string() + ": is a folder, expected an HDF5 file");
}

TEST(FileErrors, TextFileWithH5Name) {
  TempDir dir;
  const auto path = dir / "data.h5";
  std::ofstream(path) << "angle,value\n0,1\n";
  EXPECT_EQ(dxchange_error(path), path.string() + ": not an HDF5 file (or truncated)");
}

TEST(FileErrors, EmptyFile) {
  TempDir dir;
  const auto path = dir / "data.h5";
  std::ofstream{path};
  EXPECT_EQ(dxchange_error(path), path.string() + ": not an HDF5 file (or truncated)");
}

TEST(FileErrors, TruncatedFile) {
  TempDir dir;
  const auto path = dir / "data.h5";
  DxchangeFixture fixture;
  fixture.angles = 40;
  fixture.data.assign(fixture.angles * fixture.rows * fixture.cols, 500);
  fixture.theta_degrees.assign(fixture.angles, 1.0);
  fixture.write(path);
  ASSERT_NO_THROW(read_dxchange(path));
  std::filesystem::resize_file(path, std::filesystem::file_size(path) / 2);

  const std::string message = dxchange_error(path);
  EXPECT_EQ(message.rfind(path.string() + ": not an HDF5 file (or truncated)", 0), 0u) << message;
  const std::string volume_message = input_error_of([&] { read_volume(path); });
  EXPECT_EQ(volume_message.rfind(path.string() + ": not an HDF5 file (or truncated)", 0), 0u) << volume_message;
}

TEST(FileErrors, NoExchangeData) {
  TempDir dir;
  const auto path = dir / "data.h5";
  SyntheticHdf5 file(path);
  file.write<double>("/exchange/theta", {3}, {0, 1, 2});
  file.close();
  EXPECT_EQ(dxchange_error(path), path.string() + ": missing dataset /exchange/data");
}

TEST(FileErrors, NoExchangeGroupAtAll) {
  TempDir dir;
  const auto path = dir / "data.h5";
  SyntheticHdf5 file(path);
  file.write<float>("/entry/data", {1, 1, 1}, {1.0f});
  file.close();
  EXPECT_EQ(dxchange_error(path), path.string() + ": missing dataset /exchange/data");
  EXPECT_EQ(input_error_of([&] { read_volume(path); }), path.string() + ": missing dataset /volume");
}

TEST(FileErrors, GroupWhereDataShouldBe) {
  TempDir dir;
  const auto path = dir / "data.h5";
  SyntheticHdf5 file(path);
  file.create_group("/exchange/data");
  file.close();
  EXPECT_EQ(dxchange_error(path), path.string() + ": /exchange/data is a group, expected a dataset");
}

TEST(FileErrors, FourDimensionalData) {
  TempDir dir;
  const auto path = dir / "data.h5";
  SyntheticHdf5 file(path);
  file.write<float>("/exchange/data", {1, 2, 3, 1}, std::vector<float>(6, 1.0f));
  file.close();
  EXPECT_EQ(dxchange_error(path), path.string() +
                                      ": /exchange/data must be 3-D (angles, rows, cols) or 2-D (angles, cols), a "
                                      "sinogram, found 4-D");
}

TEST(FileErrors, StringData) {
  TempDir dir;
  const auto path = dir / "data.h5";
  SyntheticHdf5 file(path);
  file.write_strings("/exchange/data", {"a", "b"});
  file.close();
  EXPECT_EQ(dxchange_error(path), path.string() + ": /exchange/data holds strings, expected numbers");
}

TEST(FileErrors, ThetaCountMismatch) {
  TempDir dir;
  const auto path = dir / "data.h5";
  const DxchangeFixture fixture;
  SyntheticHdf5 file(path);
  fixture.write_without_theta(file);
  file.write<double>("/exchange/theta", {2}, {0.0, 90.0});
  file.close();
  EXPECT_EQ(dxchange_error(path), path.string() + ": /exchange/theta has 2 values, expected 3 (one per projection)");
}

TEST(FileErrors, MissingTheta) {
  TempDir dir;
  const auto path = dir / "data.h5";
  SyntheticHdf5 file(path);
  DxchangeFixture().write_without_theta(file);
  file.close();
  EXPECT_EQ(dxchange_error(path), path.string() + ": missing dataset /exchange/theta");
}

TEST(FileErrors, NanInData) {
  TempDir dir;
  const auto path = dir / "data.h5";
  std::vector<float> values(2 * 3 * 4, 0.5f);
  values[(1 * 3 + 2) * 4 + 3] = std::numeric_limits<float>::quiet_NaN();
  SyntheticHdf5 file(path);
  file.write<float>("/exchange/data", {2, 3, 4}, values);
  file.write<double>("/exchange/theta", {2}, {0.0, 90.0});
  file.close();
  const std::string message = dxchange_error(path, {.normalize = false});
  EXPECT_EQ(message.rfind(path.string() + ": /exchange/data has a non-finite value (", 0), 0u) << message;
  EXPECT_NE(message.find("at [1, 2, 3]"), std::string::npos) << message;
}

TEST(FileErrors, NanPositionCountsFromTheFileRowNotTheRange) {
  TempDir dir;
  const auto path = dir / "data.h5";
  std::vector<float> values(1 * 4 * 2, 0.5f);
  values[3 * 2 + 1] = std::numeric_limits<float>::infinity();
  SyntheticHdf5 file(path);
  file.write<float>("/exchange/data", {1, 4, 2}, values);
  file.write<double>("/exchange/theta", {1}, {0.0});
  file.close();
  EXPECT_NO_THROW(read_dxchange(path, {.normalize = false, .end_row = 3}));
  EXPECT_NE(dxchange_error(path, {.normalize = false, .start_row = 2}).find("at [0, 3, 1]"), std::string::npos);
}

TEST(FileErrors, NanInTheta) {
  TempDir dir;
  const auto path = dir / "data.h5";
  SyntheticHdf5 file(path);
  DxchangeFixture().write_without_theta(file);
  file.write<double>("/exchange/theta", {3}, {0.0, std::nan(""), 2.0});
  file.close();
  const std::string message = dxchange_error(path);
  EXPECT_EQ(message.rfind(path.string() + ": /exchange/theta has a non-finite value", 0), 0u) << message;
}

TEST(FileErrors, MissingFlatsWhenNormalising) {
  TempDir dir;
  const auto path = dir / "data.h5";
  SyntheticHdf5 file(path);
  file.write<std::uint16_t>("/exchange/data", {1, 1, 2}, {1, 2});
  file.write<std::uint16_t>("/exchange/data_dark", {1, 1, 2}, {0, 0});
  file.write<double>("/exchange/theta", {1}, {0.0});
  file.close();
  EXPECT_EQ(dxchange_error(path), path.string() +
                                      ": missing dataset /exchange/data_white, needed to normalise the projections; "
                                      "set normalize: false if /exchange/data is already normalised");
  EXPECT_NO_THROW(read_dxchange(path, {.normalize = false, .minus_log = false}));
}

TEST(FileErrors, FlatsOfAnotherShape) {
  TempDir dir;
  const auto path = dir / "data.h5";
  SyntheticHdf5 file(path);
  file.write<std::uint16_t>("/exchange/data", {1, 2, 2}, {1, 2, 3, 4});
  file.write<std::uint16_t>("/exchange/data_white", {1, 2, 3}, {9, 9, 9, 9, 9, 9});
  file.write<std::uint16_t>("/exchange/data_dark", {1, 2, 2}, {0, 0, 0, 0});
  file.write<double>("/exchange/theta", {1}, {0.0});
  file.close();
  EXPECT_EQ(dxchange_error(path), path.string() +
                                      ": /exchange/data_white has frames of 2 x 3 pixels, expected 2 x 2 like "
                                      "/exchange/data");
}

}  // namespace
}  // namespace xrecon::io
