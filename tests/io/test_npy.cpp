// NumPy .npy reading: every dtype, 2-D and 3-D, C and Fortran order, the three header versions,
// row ranges, and each malformed file refused with the file and what was expected.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <xrecon/component.hpp>
#include <xrecon/error.hpp>

#include "npy_format.hpp"
#include "npy_reader.hpp"
#include "plain_files.hpp"
#include "temp_dir.hpp"

namespace xrecon::io {
namespace {

using testing::npy_bytes;
using testing::npy_dict;
using testing::TempDir;
using testing::write_file;
using testing::write_npy;

std::string refusal(const std::filesystem::path& file) {
  return testing::input_error_of([&] { read_npy(file); });
}

#define EXPECT_HAS(text, part) EXPECT_NE((text).find(part), std::string::npos) << (text)

template <typename T>
void expect_reads_dtype(const std::string& descr, const char* name) {
  TempDir dir;
  std::vector<T> values(2 * 3 * 4);
  for (std::size_t i = 0; i < values.size(); ++i) {
    if constexpr (std::is_floating_point_v<T>)
      values[i] = T(double(i) - 7.25);
    else if constexpr (std::is_signed_v<T>)
      values[i] = T(int(i) - 7);
    else
      values[i] = T(i * 3);
  }
  if constexpr (std::is_integral_v<T>) values.back() = std::numeric_limits<T>::max();
  write_npy(dir / "a.npy", descr, {2, 3, 4}, values);
  const PlainStack stack = read_npy(dir / "a.npy");
  ASSERT_EQ(stack.data.shape(), Shape({2, 3, 4})) << descr;
  EXPECT_EQ(stack.layout, std::string(name) + ", C order");
  for (std::size_t i = 0; i < values.size(); ++i) EXPECT_EQ(stack.data[i], float(values[i])) << descr << " at " << i;
}

TEST(Npy, ReadsEveryDtype) {
  expect_reads_dtype<float>("<f4", "float32");
  expect_reads_dtype<double>("<f8", "float64");
  expect_reads_dtype<std::uint8_t>("|u1", "uint8");
  expect_reads_dtype<std::int8_t>("|i1", "int8");
  expect_reads_dtype<std::uint16_t>("<u2", "uint16");
  expect_reads_dtype<std::int16_t>("<i2", "int16");
  expect_reads_dtype<std::uint32_t>("<u4", "uint32");
  expect_reads_dtype<std::int32_t>("<i4", "int32");
}

TEST(Npy, TwoDimensionalArrayIsOneSinogram) {
  TempDir dir;
  write_npy<float>(dir / "sino.npy", "<f4", {3, 2}, {1, 2, 3, 4, 5, 6});
  const PlainStack stack = read_npy(dir / "sino.npy");
  ASSERT_EQ(stack.data.shape(), Shape({3, 1, 2}));
  EXPECT_EQ(stack.total_rows, 1u);
  EXPECT_EQ(stack.data[5], 6.0f);
}

// np.save of a transposed array (radon(...).T) writes the buffer column-major with
// fortran_order True; the reader gives the same logical array as a C-order copy.
TEST(Npy, FortranOrderReadsInLogicalOrder) {
  TempDir dir;
  const std::size_t angles = 3, rows = 4, cols = 5;
  std::vector<double> c_order(angles * rows * cols), f_order(c_order.size());
  for (std::size_t a = 0; a < angles; ++a)
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t c = 0; c < cols; ++c) {
        const double v = 100.0 * a + 10.0 * r + c;
        c_order[(a * rows + r) * cols + c] = v;
        f_order[a + angles * (r + rows * c)] = v;
      }
  write_npy(dir / "c.npy", "<f8", {angles, rows, cols}, c_order);
  write_npy(dir / "f.npy", "<f8", {angles, rows, cols}, f_order, true);
  const PlainStack c = read_npy(dir / "c.npy"), f = read_npy(dir / "f.npy");
  EXPECT_EQ(f.layout, "float64, Fortran order");
  for (std::size_t i = 0; i < c_order.size(); ++i) EXPECT_EQ(f.data[i], c.data[i]) << "at " << i;
  // Rows 1..3 of both orders.
  const PlainStack c_rows = read_npy(dir / "c.npy", {1, 3}), f_rows = read_npy(dir / "f.npy", {1, 3});
  ASSERT_EQ(f_rows.data.shape(), Shape({3, 2, 5}));
  EXPECT_EQ(f_rows.first_row, 1u);
  for (std::size_t i = 0; i < f_rows.data.size(); ++i) EXPECT_EQ(f_rows.data[i], c_rows.data[i]) << "at " << i;
  EXPECT_EQ(c_rows.data[0], 10.0f);  // angle 0, row 1, col 0

  // A 2-D Fortran-order sinogram (angles, cols).
  write_npy<float>(dir / "f2.npy", "<f4", {2, 3}, {1, 4, 2, 5, 3, 6}, true);
  const PlainStack f2 = read_npy(dir / "f2.npy");
  ASSERT_EQ(f2.data.shape(), Shape({2, 1, 3}));
  for (std::size_t i = 0; i < 6; ++i) EXPECT_EQ(f2.data[i], float(i + 1));
}

// ASTRA's 3-D parallel-beam data is (rows, angles, cols): with axes rows_angles_cols the reader
// gives the same (angles, rows, cols) stack as a TomoPy-order file of the same projections, in
// both storage orders and for a row range; a NaN in a row left out is not read, one in a selected
// row is named by its index in the file's array.
TEST(Npy, AstraRowsAnglesColsReadAsProjections) {
  TempDir dir;
  const std::size_t angles = 3, rows = 4, cols = 5;
  std::vector<float> tomopy(angles * rows * cols), astra_c(tomopy.size()), astra_f(tomopy.size());
  for (std::size_t a = 0; a < angles; ++a)
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t c = 0; c < cols; ++c) {
        const float v = float(100 * a + 10 * r + c);
        tomopy[(a * rows + r) * cols + c] = v;
        astra_c[(r * angles + a) * cols + c] = v;
        astra_f[r + rows * (a + angles * c)] = v;
      }
  write_npy(dir / "tomopy.npy", "<f4", {angles, rows, cols}, tomopy);
  write_npy(dir / "astra_c.npy", "<f4", {rows, angles, cols}, astra_c);
  write_npy(dir / "astra_f.npy", "<f4", {rows, angles, cols}, astra_f, true);
  for (const RowSelection selection : {RowSelection{}, RowSelection{1, 3}, RowSelection{3, 4}}) {
    const PlainStack expected = read_npy(dir / "tomopy.npy", selection);
    for (const char* name : {"astra_c.npy", "astra_f.npy"}) {
      const PlainStack got = read_npy(dir / name, selection, NpyAxes::rows_angles_cols);
      ASSERT_EQ(got.data.shape(), expected.data.shape()) << name;
      EXPECT_EQ(got.total_rows, rows);
      EXPECT_EQ(got.first_row, selection.start_row);
      for (std::size_t i = 0; i < got.data.size(); ++i)
        EXPECT_EQ(got.data[i], expected.data[i]) << name << " rows from " << selection.start_row << " at " << i;
    }
  }
  EXPECT_EQ(read_npy(dir / "astra_f.npy", {}, NpyAxes::rows_angles_cols).layout,
            "float32, Fortran order, rows, angles, cols");

  // Row 2, angle 1, col 4 is NaN: rows innermost (Fortran) and outermost (C).
  astra_c[(2 * angles + 1) * cols + 4] = astra_f[2 + rows * (1 + angles * 4)] =
      std::numeric_limits<float>::quiet_NaN();
  write_npy(dir / "nan_c.npy", "<f4", {rows, angles, cols}, astra_c);
  write_npy(dir / "nan_f.npy", "<f4", {rows, angles, cols}, astra_f, true);
  for (const char* name : {"nan_c.npy", "nan_f.npy"}) {
    EXPECT_NO_THROW(read_npy(dir / name, {0, 2}, NpyAxes::rows_angles_cols)) << name;
    EXPECT_NO_THROW(read_npy(dir / name, {3, 4}, NpyAxes::rows_angles_cols)) << name;
    EXPECT_HAS(testing::input_error_of([&] { read_npy(dir / name, {1, 3}, NpyAxes::rows_angles_cols); }),
               "has a non-finite value (nan) at [2, 1, 4]");
  }
  // A rank the reader does not take names the axes it was told.
  write_npy<float>(dir / "1d.npy", "<f4", {3}, {1, 2, 3});
  EXPECT_HAS(testing::input_error_of([&] { read_npy(dir / "1d.npy", {}, NpyAxes::rows_angles_cols); }),
             "or 3-D (rows, angles, cols)");
}

TEST(Npy, HeaderVersionsTwoAndThreeAreRead) {
  TempDir dir;
  for (int version : {2, 3}) {
    write_npy<float>(dir / "v.npy", "<f4", {1, 2}, {7, 8}, false, version);
    const PlainStack stack = read_npy(dir / "v.npy");
    EXPECT_EQ(stack.data[1], 8.0f) << "version " << version;
  }
}

TEST(Npy, HeaderDictMayUseDoubleQuotesAndLooseSpacing) {
  const NpyHeader header = parse_npy_dict("{ \"shape\" : (3,) ,'fortran_order':False,  'descr':'<u2'}   \n", "x.npy");
  EXPECT_EQ(header.type, SampleType::uint16);
  EXPECT_EQ(header.shape, (std::vector<std::size_t>{3}));
  EXPECT_FALSE(header.fortran_order);
}

TEST(Npy, TruncatedFileNamesExpectedAndActualBytes) {
  TempDir dir;
  std::string bytes = npy_bytes(npy_dict("<f4", {2, 3}), std::string(24, '\0'));
  write_file(dir / "t.npy", bytes.substr(0, bytes.size() - 5));
  const std::string message = refusal(dir / "t.npy");
  EXPECT_HAS(message,
             (dir / "t.npy").string() +
                 ": is truncated: shape (2, 3) of float32 takes 24 bytes after the 128-byte header, the file holds 19");
  write_file(dir / "long.npy", bytes + "xx");
  EXPECT_HAS(refusal(dir / "long.npy"), "has bytes after its array");
  write_file(dir / "header.npy", bytes.substr(0, 30));
  EXPECT_HAS(refusal(dir / "header.npy"), "is truncated: its .npy header ends at byte 128 but the file has 30 bytes");
}

TEST(Npy, BadMagicAndVersionsAreRefused) {
  TempDir dir;
  write_file(dir / "m.npy", "NUMPY\x01\x00 without its first byte");
  EXPECT_HAS(refusal(dir / "m.npy"), "is not a .npy file: it does not start with NumPy's magic string \\x93NUMPY");
  write_file(dir / "z.npy", "PK\x03\x04 a zip");
  EXPECT_HAS(refusal(dir / "z.npy"), "is a zip archive (np.savez writes .npz files so), not a .npy file");
  write_file(dir / "empty.npy", "");
  EXPECT_HAS(refusal(dir / "empty.npy"), "is not a .npy file");
  std::string bytes = npy_bytes(npy_dict("<f4", {1, 1}), std::string(4, '\0'));
  bytes[6] = 4;
  write_file(dir / "v.npy", bytes);
  EXPECT_HAS(refusal(dir / "v.npy"), "has .npy format version 4.0, expected 1.0, 2.0 or 3.0");
}

TEST(Npy, DtypesWeDoNotReadAreRefused) {
  TempDir dir;
  write_npy<float>(dir / "be.npy", ">f4", {1, 1}, {1});
  EXPECT_HAS(refusal(dir / "be.npy"),
             "holds big-endian values (dtype '>f4'); save them little-endian: np.save(path, a.astype('<f4'))");
  for (const char* descr : {"<c8", "<i8", "<f2", "|b1", "<U4"}) {
    write_npy<double>(dir / "d.npy", descr, {1, 1}, {1});
    EXPECT_HAS(refusal(dir / "d.npy"), std::string("has dtype '") + descr + "', which is not read");
  }
  write_file(dir / "s.npy", npy_bytes("{'descr': [('x', '<f4')], 'fortran_order': False, 'shape': (1, 1), }", "abcd"));
  EXPECT_HAS(refusal(dir / "s.npy"), "expected 'descr' to be a dtype string");
}

TEST(Npy, MalformedHeaderDictsAreRefused) {
  TempDir dir;
  const std::pair<std::string, std::string> cases[] = {
      {"{'descr': '<f4', 'shape': (1, 1), }", "has no 'fortran_order'"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1), 'extra': 1}", "has the key 'extra'"},
      {"{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (1, 1)}", "has the key 'descr' twice"},
      {"{'descr': '<f4', 'fortran_order': 0, 'shape': (1, 1)}", "neither True nor False"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': [1, 1]}", "'shape' to be a tuple"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (1, -1)}", "not a non-negative integer"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1)} x", "has text after the dict"},
      {"['descr', '<f4']", "expected the header to be a dict"},
  };
  for (const auto& [dict, expected] : cases) {
    write_file(dir / "h.npy", npy_bytes(dict, std::string(4, '\0')));
    EXPECT_HAS(refusal(dir / "h.npy"), expected);
  }
  // A header length beyond the file.
  std::string bytes = npy_bytes(npy_dict("<f4", {1, 1}), std::string(4, '\0'));
  bytes[8] = char(0xff);
  bytes[9] = char(0x7f);
  write_file(dir / "len.npy", bytes);
  EXPECT_HAS(refusal(dir / "len.npy"), "is truncated: its .npy header ends at byte 32777 but the file has 132 bytes");
}

TEST(Npy, RanksOtherThanTwoOrThreeAndEmptyArraysAreRefused) {
  TempDir dir;
  write_npy<float>(dir / "1d.npy", "<f4", {3}, {1, 2, 3});
  EXPECT_HAS(refusal(dir / "1d.npy"),
             "holds a 1-D array, expected 2-D (angles, cols: one sinogram) or 3-D (angles, rows, cols)");
  write_npy<float>(dir / "4d.npy", "<f4", {1, 1, 1, 1}, {1});
  EXPECT_HAS(refusal(dir / "4d.npy"), "holds a 4-D array");
  write_npy<float>(dir / "0.npy", "<f4", {0, 4}, {});
  EXPECT_HAS(refusal(dir / "0.npy"), "holds an empty array");
}

TEST(Npy, NonFiniteValuesAreRefusedWithTheirIndex) {
  TempDir dir;
  std::vector<float> values(2 * 3 * 4, 1.0f);
  values[(1 * 3 + 2) * 4 + 1] = std::numeric_limits<float>::quiet_NaN();
  values.back() = std::numeric_limits<float>::infinity();
  write_npy(dir / "nan.npy", "<f4", {2, 3, 4}, values);
  EXPECT_HAS(refusal(dir / "nan.npy"), (dir / "nan.npy").string() + ": has a non-finite value (nan) at [1, 2, 1]");
  // Rows 0..2 leave the NaN out; the file's row numbers stay in the message.
  EXPECT_NO_THROW(read_npy(dir / "nan.npy", {0, 2}));

  write_npy<double>(dir / "inf.npy", "<f8", {2, 2}, {0, 1, -std::numeric_limits<double>::infinity(), 3});
  EXPECT_HAS(refusal(dir / "inf.npy"), "has a non-finite value (-inf) at [1, 0]");
  write_npy<double>(dir / "big.npy", "<f8", {1, 2}, {0, 1e300});
  EXPECT_HAS(refusal(dir / "big.npy"), "beyond float32) at [0, 1]");
  // Fortran order names the element by its logical index too.
  std::vector<float> f(2 * 3, 0.0f);
  f[1 + 2 * 2] = std::numeric_limits<float>::quiet_NaN();  // angle 1, col 2
  write_npy(dir / "fnan.npy", "<f4", {2, 3}, f, true);
  EXPECT_HAS(refusal(dir / "fnan.npy"), "at [1, 2]");
}

TEST(Npy, RowsOutsideTheArrayNameTheParameter) {
  TempDir dir;
  write_npy<float>(dir / "a.npy", "<f4", {1, 2, 2}, {1, 2, 3, 4});
  try {
    read_npy(dir / "a.npy", {0, 3});
    FAIL() << "expected ParamError";
  } catch (const ParamError& e) {
    EXPECT_EQ(e.param(), "end_row");
    EXPECT_HAS(std::string(e.what()), "has 2 detector rows");
  }
}

}  // namespace
}  // namespace xrecon::io
