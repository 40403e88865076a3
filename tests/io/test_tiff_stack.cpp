// TIFF stacks through libtiff: multi-page files and folders of single-page files, every sample
// type, strips, LZW and tiles, row ranges, and each stack we cannot read refused with the file,
// the page and what was expected, libtiff's own message inside ours and nothing on stderr.
#include <gtest/gtest.h>
#include <tiffio.h>

#include <cmath>
#include <limits>
#include <xrecon/component.hpp>
#include <xrecon/error.hpp>

#include "plain_files.hpp"
#include "temp_dir.hpp"
#include "tiff_stack.hpp"

namespace xrecon::io {
namespace {

using testing::TempDir;
using testing::tiff_page;
using testing::TiffLayout;
using testing::TiffPage;
using testing::write_file;
using testing::write_tiff;

#define EXPECT_HAS(text, part) EXPECT_NE((text).find(part), std::string::npos) << (text)

std::string refusal(const std::filesystem::path& path, const std::string& pattern = {}) {
  return testing::input_error_of([&] { read_tiff_stack(path, pattern); });
}

// rows x cols values of page k: 100 k + 10 r + c (negative for signed types, to see the sign kept).
template <typename T>
std::vector<T> page_values(std::size_t k, std::uint32_t rows, std::uint32_t cols) {
  std::vector<T> values(std::size_t(rows) * cols);
  for (std::size_t i = 0; i < values.size(); ++i)
    values[i] = T((std::is_signed_v<T> ? -1.0 : 1.0) * double(100 * k + 10 * (i / cols) + i % cols));
  return values;
}

template <typename T>
void expect_reads_type(std::uint16_t sample_format, const char* name, TiffLayout layout = TiffLayout::strips) {
  TempDir dir;
  const std::uint32_t rows = 5, cols = 7;
  std::vector<TiffPage> pages;
  for (std::size_t k = 0; k < 3; ++k)
    pages.push_back(tiff_page(rows, cols, sample_format, page_values<T>(k, rows, cols)));
  write_tiff(dir / "stack.tif", pages, layout);
  const PlainStack stack = read_tiff_stack(dir / "stack.tif");
  ASSERT_EQ(stack.data.shape(), Shape({3, rows, cols})) << name;
  EXPECT_EQ(stack.layout, std::string(name) + ", 3 pages");
  for (std::size_t k = 0; k < 3; ++k) {
    const std::vector<T> expected = page_values<T>(k, rows, cols);
    for (std::size_t i = 0; i < expected.size(); ++i)
      ASSERT_EQ(stack.data[k * rows * cols + i], float(expected[i])) << name << ", page " << k << ", at " << i;
  }
}

TEST(TiffStack, ReadsEverySampleTypeFromAMultiPageFile) {
  expect_reads_type<std::uint8_t>(SAMPLEFORMAT_UINT, "uint8");
  expect_reads_type<std::int8_t>(SAMPLEFORMAT_INT, "int8");
  expect_reads_type<std::uint16_t>(SAMPLEFORMAT_UINT, "uint16");
  expect_reads_type<std::int16_t>(SAMPLEFORMAT_INT, "int16");
  expect_reads_type<std::uint32_t>(SAMPLEFORMAT_UINT, "uint32");
  expect_reads_type<std::int32_t>(SAMPLEFORMAT_INT, "int32");
  expect_reads_type<float>(SAMPLEFORMAT_IEEEFP, "float32");
  expect_reads_type<double>(SAMPLEFORMAT_IEEEFP, "float64");
}

TEST(TiffStack, ReadsCompressedAndTiledPages) {
  expect_reads_type<std::uint16_t>(SAMPLEFORMAT_UINT, "uint16", TiffLayout::strips_lzw);
  expect_reads_type<float>(SAMPLEFORMAT_IEEEFP, "float32", TiffLayout::tiles);
}

TEST(TiffStack, RowRangeOfStripsAndTiles) {
  TempDir dir;
  const std::uint32_t rows = 20, cols = 18;  // two tiles of 16 across and down
  for (TiffLayout layout : {TiffLayout::strips, TiffLayout::strips_lzw, TiffLayout::tiles}) {
    write_tiff(dir / "s.tif",
               {tiff_page(rows, cols, SAMPLEFORMAT_UINT, page_values<std::uint16_t>(0, rows, cols)),
                tiff_page(rows, cols, SAMPLEFORMAT_UINT, page_values<std::uint16_t>(1, rows, cols))},
               layout);
    const PlainStack stack = read_tiff_stack(dir / "s.tif", {}, {15, 18});
    ASSERT_EQ(stack.data.shape(), Shape({2, 3, cols}));
    EXPECT_EQ(stack.total_rows, rows);
    EXPECT_EQ(stack.first_row, 15u);
    for (std::size_t k = 0; k < 2; ++k)
      for (std::size_t r = 0; r < 3; ++r)
        for (std::size_t c = 0; c < cols; ++c)
          ASSERT_EQ(stack.data[(k * 3 + r) * cols + c], float(100 * k + 10 * (15 + r) + c))
              << "page " << k << ", row " << r << ", col " << c;
  }
}

// Names sort with their numbers as numbers (p2 before p10), whether zero-padded or not; other
// files of the folder are left out, and a pattern chooses among them.
TEST(TiffStack, FolderOfSinglePagesInNameOrder) {
  TempDir dir;
  std::filesystem::create_directories(dir / "scan");
  for (int k : {10, 2, 1}) {
    std::vector<std::uint16_t> values(6, std::uint16_t(k));
    write_tiff(dir / "scan" / ("proj_" + std::to_string(k) + ".tif"), {tiff_page(2, 3, SAMPLEFORMAT_UINT, values)});
  }
  write_tiff(dir / "scan" / "dark_0.TIFF", {tiff_page(2, 3, SAMPLEFORMAT_UINT, std::vector<std::uint16_t>(6, 99))});
  write_file(dir / "scan" / "notes.txt", "not an image");

  const PlainStack all = read_tiff_stack(dir / "scan");
  ASSERT_EQ(all.data.shape(), Shape({4, 2, 3}));
  EXPECT_EQ(all.data[0], 99.0f);  // dark_0.TIFF: upper-case extension counts, 'd' sorts before 'p'
  EXPECT_EQ(all.layout, "uint16, 4 files dark_0.TIFF..proj_10.tif");

  const PlainStack projections = read_tiff_stack(dir / "scan", "proj_*.tif");
  ASSERT_EQ(projections.data.shape(), Shape({3, 2, 3}));
  EXPECT_EQ(projections.data[0], 1.0f);
  EXPECT_EQ(projections.data[6], 2.0f);
  EXPECT_EQ(projections.data[12], 10.0f);
  EXPECT_EQ(tiff_stack_files(dir / "scan", "proj_*.tif").back().filename(), "proj_10.tif");

  EXPECT_HAS(refusal(dir / "scan", "*.png"), (dir / "scan").string() + ": no files matching '*.png' in the folder");
  try {
    read_tiff_stack(dir / "scan" / "proj_1.tif", "*.tif");
    FAIL() << "expected ParamError";
  } catch (const ParamError& e) {
    EXPECT_EQ(e.param(), "pattern");
  }
}

TEST(TiffStack, PagesOfDifferentSizesAreRefusedNamingBoth) {
  TempDir dir;
  write_tiff(dir / "m.tif", {tiff_page(4, 6, SAMPLEFORMAT_UINT, std::vector<std::uint16_t>(24, 1)),
                             tiff_page(4, 6, SAMPLEFORMAT_UINT, std::vector<std::uint16_t>(24, 1)),
                             tiff_page(5, 6, SAMPLEFORMAT_UINT, std::vector<std::uint16_t>(30, 1))});
  EXPECT_HAS(refusal(dir / "m.tif"), (dir / "m.tif").string() +
                                         ": page 2 has 5 x 6 pixels (rows x cols), expected 4 x 6 pixels (rows x cols) "
                                         "like page 0");

  std::filesystem::create_directories(dir / "f");
  write_tiff(dir / "f" / "a.tif", {tiff_page(4, 6, SAMPLEFORMAT_UINT, std::vector<std::uint16_t>(24, 1))});
  write_tiff(dir / "f" / "b.tif", {tiff_page(4, 7, SAMPLEFORMAT_UINT, std::vector<std::uint16_t>(28, 1))});
  EXPECT_HAS(refusal(dir / "f"), (dir / "f" / "b.tif").string() +
                                     ": has 4 x 7 pixels (rows x cols), expected 4 x 6 "
                                     "pixels (rows x cols) like " +
                                     (dir / "f" / "a.tif").string());
}

TEST(TiffStack, WhatIsNotAGrayscaleStackIsRefused) {
  TempDir dir;
  TiffPage colour = tiff_page(2, 2, SAMPLEFORMAT_UINT, std::vector<std::uint8_t>(12, 5));
  colour.samples_per_pixel = 3;
  write_tiff(dir / "rgb.tif", {colour});
  EXPECT_HAS(refusal(dir / "rgb.tif"), "page 0 has 3 samples per pixel (colour?), expected grayscale: 1");

  TiffPage complex_page = tiff_page(1, 2, SAMPLEFORMAT_COMPLEXIEEEFP, std::vector<double>(2, 1.0));
  write_tiff(dir / "c.tif", {complex_page});
  EXPECT_HAS(refusal(dir / "c.tif"), "page 0 has 64-bit other (complex or undefined) samples");

  std::filesystem::create_directories(dir / "f");
  write_tiff(dir / "f" / "two.tif", {tiff_page(1, 1, SAMPLEFORMAT_UINT, std::vector<std::uint16_t>{1}),
                                     tiff_page(1, 1, SAMPLEFORMAT_UINT, std::vector<std::uint16_t>{2})});
  EXPECT_HAS(refusal(dir / "f"), "two.tif: has 2 pages, expected one in a folder of single-page files");
}

TEST(TiffStack, NonFiniteValuesAreRefusedWithPageRowAndColumn) {
  TempDir dir;
  std::vector<float> bad(12, 0.5f);
  bad[2 * 4 + 3] = std::numeric_limits<float>::quiet_NaN();
  write_tiff(dir / "n.tif", {tiff_page(3, 4, SAMPLEFORMAT_IEEEFP, std::vector<float>(12, 0.5f)),
                             tiff_page(3, 4, SAMPLEFORMAT_IEEEFP, bad)});
  EXPECT_HAS(refusal(dir / "n.tif"),
             (dir / "n.tif").string() + ": page 1 has a non-finite value (nan) at row 2, column 3");
}

// libtiff's complaint reaches our message, and libtiff prints nothing itself.
TEST(TiffStack, LibtiffMessagesGoIntoTheErrorNotToStderr) {
  TempDir dir;
  const char not_tiff[] = "II*\0 this is no TIFF directory";
  write_file(dir / "not.tif", std::string(not_tiff, sizeof not_tiff - 1));
  ::testing::internal::CaptureStderr();
  const std::string message = refusal(dir / "not.tif");
  const std::string printed = ::testing::internal::GetCapturedStderr();
  EXPECT_HAS(message, (dir / "not.tif").string() + ": cannot be opened as TIFF (libtiff: ");
  EXPECT_EQ(printed, "");
  write_file(dir / "text.tif", "plain text");
  EXPECT_HAS(refusal(dir / "text.tif"), "cannot be opened as TIFF (libtiff: ");
  EXPECT_HAS(refusal(dir / "missing.tif"), "missing.tif: cannot be opened as TIFF");
}

}  // namespace
}  // namespace xrecon::io
