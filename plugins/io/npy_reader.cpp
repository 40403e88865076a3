#include "npy_reader.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <optional>
#include <string>
#include <vector>
#include <xrecon/error.hpp>

#include "npy_format.hpp"
#include "number_text.hpp"

namespace xrecon::io {
namespace {

[[noreturn]] void fail(const std::filesystem::path& file, const std::string& what) {
  throw InputError(file.string() + ": " + what);
}

std::string index_text(std::size_t angle, std::size_t row, std::size_t col, bool two_d) {
  std::string text(1, '[');
  text += std::to_string(angle) + ", ";
  if (!two_d) text += std::to_string(row) + ", ";
  return text + std::to_string(col) + "]";
}

class NpyFile {
 public:
  explicit NpyFile(const std::filesystem::path& file) : file_(file), in_(file, std::ios::binary) {
    if (!in_) fail(file, "cannot be opened for reading");
    std::error_code error;
    const std::uintmax_t size = std::filesystem::file_size(file, error);
    if (error) fail(file, "cannot be read: " + error.message());
    std::string bytes(std::size_t(std::min<std::uintmax_t>(size, 12)), '\0');
    read_at(0, bytes.data(), bytes.size());
    bytes.resize(std::min<std::uintmax_t>(size, npy_header_extent(bytes, file)));
    read_at(0, bytes.data(), bytes.size());
    header_ = parse_npy_header(bytes, size, file);
  }

  const NpyHeader& header() const { return header_; }

  // `count` elements from element `first` (in file order) into `destination` as bytes.
  void read_elements(std::uint64_t first, std::size_t count, std::vector<unsigned char>& destination) {
    const std::size_t item = sample_bytes(header_.type);
    destination.resize(count * item);
    read_at(header_.data_offset + first * item, destination.data(), destination.size());
  }

 private:
  void read_at(std::uint64_t offset, void* destination, std::size_t bytes) {
    in_.seekg(std::streamoff(offset));
    in_.read(static_cast<char*>(destination), std::streamsize(bytes));
    if (std::size_t(in_.gcount()) != bytes)
      fail(file_, "could not be read at byte " + std::to_string(offset) + " (changed while reading?)");
  }

  std::filesystem::path file_;
  std::ifstream in_;
  NpyHeader header_;
};

}  // namespace

PlainStack read_npy(const std::filesystem::path& file, const RowSelection& selection) {
  NpyFile npy(file);
  const NpyHeader& header = npy.header();
  const std::vector<std::size_t>& shape = header.shape;
  if (shape.size() != 2 && shape.size() != 3)
    fail(file, "holds a " + std::to_string(shape.size()) +
                   "-D array, expected 2-D (angles, cols: one sinogram) or 3-D (angles, rows, cols)");
  const bool two_d = shape.size() == 2;
  const std::size_t angles = shape[0];
  const std::size_t total_rows = two_d ? 1 : shape[1];
  const std::size_t cols = shape.back();
  if (angles == 0 || total_rows == 0 || cols == 0) fail(file, "holds an empty array");
  const RowRange rows = select_rows(selection, total_rows, file);

  PlainStack stack;
  stack.data = ArrayF({angles, rows.count(), cols});
  stack.total_rows = total_rows;
  stack.first_row = rows.begin;
  stack.layout = std::string(to_string(header.type)) + (header.fortran_order ? ", Fortran order" : ", C order");
  stack.integers = is_integer(header.type);

  // Each read is one contiguous run of the file: C order holds one projection's selected rows
  // together, Fortran order one column's (angle, row) values for the selected rows.
  std::vector<unsigned char> bytes;
  std::vector<float> run;
  float* out = stack.data.data();
  const std::size_t blocks = header.fortran_order ? cols : angles;
  const std::size_t block_size = header.fortran_order ? angles * rows.count() : rows.count() * cols;
  for (std::size_t block = 0; block < blocks; ++block) {
    const std::uint64_t first = header.fortran_order ? (std::uint64_t(block) * total_rows + rows.begin) * angles
                                                     : (std::uint64_t(block) * total_rows + rows.begin) * cols;
    npy.read_elements(first, block_size, bytes);
    run.resize(block_size);
    const std::optional<BadSample> bad = convert_samples(header.type, bytes.data(), block_size, run.data());
    if (bad) {
      const std::size_t i = bad->index;
      const std::size_t angle = header.fortran_order ? i % angles : block;
      const std::size_t row = rows.begin + (header.fortran_order ? i / angles : i / cols);
      const std::size_t col = header.fortran_order ? block : i % cols;
      fail(file, "has a non-finite value (" + number_text(bad->value) +
                     (std::isfinite(bad->value) ? ", beyond float32" : "") + ") at " +
                     index_text(angle, row, col, two_d));
    }
    if (!header.fortran_order) {
      std::copy(run.begin(), run.end(), out + block * block_size);
      continue;
    }
    for (std::size_t r = 0; r < rows.count(); ++r)
      for (std::size_t a = 0; a < angles; ++a) out[(a * rows.count() + r) * cols + block] = run[r * angles + a];
  }
  return stack;
}

}  // namespace xrecon::io
