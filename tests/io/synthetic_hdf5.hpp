#pragma once
// Writes HDF5 files for the tests with the plain HDF5 C API, independent of the code under test.
#include <hdf5.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace xrecon::io::testing {

class SyntheticHdf5 {
 public:
  explicit SyntheticHdf5(const std::filesystem::path& path);
  ~SyntheticHdf5();
  SyntheticHdf5(const SyntheticHdf5&) = delete;
  SyntheticHdf5& operator=(const SyntheticHdf5&) = delete;

  // Creates `dataset` (and its groups) with the file type matching T: uint16, float or double.
  template <typename T>
  void write(const std::string& dataset, const std::vector<hsize_t>& dims, const std::vector<T>& values);
  void write_strings(const std::string& dataset, const std::vector<std::string>& values);
  void create_group(const std::string& group);
  // A fixed-length string attribute (as older tools write them) on `object`.
  void write_fixed_string_attribute(const std::string& object, const std::string& name, const std::string& value);
  void close();

 private:
  hid_t file_ = H5I_INVALID_HID;
};

// A small Data Exchange file: `angles` x `rows` x `cols` uint16 projections with two flat and two
// dark frames that vary by row, theta in degrees without a units attribute.
struct DxchangeFixture {
  std::size_t angles = 3, rows = 4, cols = 5;
  std::vector<std::uint16_t> data, white, dark;  // white, dark: 2 frames each
  std::vector<double> theta_degrees;

  DxchangeFixture();
  std::uint16_t& at(std::size_t a, std::size_t r, std::size_t c) { return data[(a * rows + r) * cols + c]; }
  double mean_white(std::size_t r, std::size_t c) const;
  double mean_dark(std::size_t r, std::size_t c) const;
  // The reference result: -log(max((data - dark) / max(white - dark, 1e-6), 1e-6)).
  double expected(std::size_t a, std::size_t r, std::size_t c, bool normalize, bool minus_log) const;
  // Writes data, flats, darks and theta (degrees, no units attribute).
  void write(const std::filesystem::path& path) const;
  // The same into an open file, leaving out theta so a test can store its own.
  void write_without_theta(SyntheticHdf5& file) const;
};

}  // namespace xrecon::io::testing
