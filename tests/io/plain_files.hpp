#pragma once
// Writes the files TomoPy and ASTRA users hand to io.npy and io.tiff, from C++: NumPy and Python's
// TIFF writers are not there in CI, and a .npy header is a few bytes, a TIFF a few libtiff calls.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>
#include <xrecon/error.hpp>

namespace xrecon::io::testing {

// The message of the InputError that `read()` throws; a test failure and "" when it throws none.
template <typename Read>
std::string input_error_of(Read&& read) {
  try {
    read();
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected an InputError";
  return "";
}

// A .npy file as np.save writes it: `dict` is the header's dict text (e.g. "{'descr': '<f4',
// 'fortran_order': False, 'shape': (2, 3), }"), padded so that the data starts at a multiple of
// 64; `data` the array's bytes.
std::string npy_bytes(const std::string& dict, const std::string& data, int major_version = 1);
std::string npy_dict(const std::string& descr, const std::vector<std::size_t>& shape, bool fortran_order = false);
void write_file(const std::filesystem::path& file, const std::string& bytes);

template <typename T>
std::string raw_bytes(const std::vector<T>& values) {
  std::string bytes(values.size() * sizeof(T), '\0');
  // An empty vector's data() may be null, and memcpy from null is undefined even for 0 bytes.
  if (!values.empty()) std::memcpy(bytes.data(), values.data(), bytes.size());
  return bytes;
}

template <typename T>
void write_npy(const std::filesystem::path& file, const std::string& descr, const std::vector<std::size_t>& shape,
               const std::vector<T>& values, bool fortran_order = false, int major_version = 1) {
  write_file(file, npy_bytes(npy_dict(descr, shape, fortran_order), raw_bytes(values), major_version));
}

// One grayscale TIFF page: rows x cols samples of `bits` bits in `sample_format`
// (SAMPLEFORMAT_UINT, _INT, _IEEEFP), `data` their bytes row after row.
struct TiffPage {
  std::uint32_t rows = 0;
  std::uint32_t cols = 0;
  std::uint16_t bits = 16;
  std::uint16_t sample_format = 1;
  std::string data;
  std::uint16_t samples_per_pixel = 1;  // 3 makes a colour page (data holds 3 samples a pixel)
};

template <typename T>
TiffPage tiff_page(std::uint32_t rows, std::uint32_t cols, std::uint16_t sample_format, const std::vector<T>& values) {
  return {rows, cols, std::uint16_t(8 * sizeof(T)), sample_format, raw_bytes(values)};
}

enum class TiffLayout { strips, strips_lzw, tiles };

// Writes the pages as one TIFF file (one directory each) through libtiff.
void write_tiff(const std::filesystem::path& file, const std::vector<TiffPage>& pages,
                TiffLayout layout = TiffLayout::strips);

}  // namespace xrecon::io::testing
