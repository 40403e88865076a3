#include "npy_reader.hpp"

#include <algorithm>
#include <array>
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

// The array's logical index as NumPy prints it: [i0, i1] for a sinogram, [i0, i1, i2] else.
std::string index_text(const std::array<std::size_t, 3>& index, bool two_d) {
  std::string text(1, '[');
  text += std::to_string(index[0]) + ", ";
  if (!two_d) text += std::to_string(index[1]) + ", ";
  return text + std::to_string(index[2]) + "]";
}

enum class Role { angle, row, col };

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

PlainStack read_npy(const std::filesystem::path& file, const RowSelection& selection, NpyAxes axes) {
  NpyFile npy(file);
  const NpyHeader& header = npy.header();
  const std::vector<std::size_t>& shape = header.shape;
  if (shape.size() != 2 && shape.size() != 3)
    fail(file, "holds a " + std::to_string(shape.size()) + "-D array, expected 2-D (angles, cols: one sinogram) or 3-D (" +
                   to_string(axes) + ")");
  const bool two_d = shape.size() == 2;
  // The logical axes, a sinogram taken as (angles, 1, cols), and what each one is.
  const std::array<std::size_t, 3> extent = two_d ? std::array{shape[0], std::size_t(1), shape[1]}
                                                  : std::array{shape[0], shape[1], shape[2]};
  const std::array<Role, 3> role = !two_d && axes == NpyAxes::rows_angles_cols
                                       ? std::array{Role::row, Role::angle, Role::col}
                                       : std::array{Role::angle, Role::row, Role::col};
  const auto axis_of = [&](Role r) { return std::size_t(std::find(role.begin(), role.end(), r) - role.begin()); };
  const std::size_t angle_axis = axis_of(Role::angle), row_axis = axis_of(Role::row), col_axis = axis_of(Role::col);
  const std::size_t angles = extent[angle_axis], total_rows = extent[row_axis], cols = extent[col_axis];
  if (angles == 0 || total_rows == 0 || cols == 0) fail(file, "holds an empty array");
  const RowRange rows = select_rows(selection, total_rows, file);

  PlainStack stack;
  stack.data = ArrayF({angles, rows.count(), cols});
  stack.total_rows = total_rows;
  stack.first_row = rows.begin;
  stack.layout = std::string(to_string(header.type)) + (header.fortran_order ? ", Fortran order" : ", C order") +
                 (!two_d && axes == NpyAxes::rows_angles_cols ? std::string(", ") + to_string(axes) : "");
  stack.integers = is_integer(header.type);

  // The file stores the logical axes outermost first in C order, innermost first in Fortran order.
  const std::array<std::size_t, 3> file_axis =
      header.fortran_order ? std::array<std::size_t, 3>{2, 1, 0} : std::array<std::size_t, 3>{0, 1, 2};
  const std::size_t outer = file_axis[0], middle = file_axis[1], inner = file_axis[2];
  // The selected part of each axis: the row range on the row axis, all of the others.
  const auto range_of = [&](std::size_t axis) { return axis == row_axis ? rows : RowRange{0, extent[axis]}; };
  const RowRange middle_range = range_of(middle), inner_range = range_of(inner);

  // One read per outer index: the span from the first selected element to the last, so a C-order
  // array reads only its selected rows. Within it, each run of selected inner elements is checked
  // and converted; the unselected rows between runs (rows innermost, Fortran order) are skipped.
  std::vector<unsigned char> bytes;
  std::vector<float> run(inner_range.count());
  const std::size_t item = sample_bytes(header.type);
  float* out = stack.data.data();
  std::array<std::size_t, 3> index{};
  for (index[outer] = range_of(outer).begin; index[outer] < range_of(outer).end; ++index[outer]) {
    const std::uint64_t slab = std::uint64_t(index[outer]) * extent[middle] * extent[inner];
    const std::uint64_t first = slab + std::uint64_t(middle_range.begin) * extent[inner] + inner_range.begin;
    const std::uint64_t last = slab + std::uint64_t(middle_range.end - 1) * extent[inner] + inner_range.end;
    npy.read_elements(first, std::size_t(last - first), bytes);
    for (index[middle] = middle_range.begin; index[middle] < middle_range.end; ++index[middle]) {
      const std::size_t offset = (index[middle] - middle_range.begin) * extent[inner];
      const std::optional<BadSample> bad =
          convert_samples(header.type, bytes.data() + offset * item, run.size(), run.data());
      if (bad) {
        index[inner] = inner_range.begin + bad->index;
        fail(file, "has a non-finite value (" + number_text(bad->value) +
                       (std::isfinite(bad->value) ? ", beyond float32" : "") + ") at " +
                       index_text(two_d ? std::array{index[0], std::size_t(0), index[2]} : index, two_d));
      }
      for (std::size_t k = 0; k < run.size(); ++k) {
        index[inner] = inner_range.begin + k;
        out[(index[angle_axis] * rows.count() + index[row_axis] - rows.begin) * cols + index[col_axis]] = run[k];
      }
    }
  }
  return stack;
}

const char* to_string(NpyAxes axes) {
  return axes == NpyAxes::rows_angles_cols ? "rows, angles, cols" : "angles, rows, cols";
}

}  // namespace xrecon::io
