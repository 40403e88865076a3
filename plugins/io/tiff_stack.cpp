#include "tiff_stack.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <optional>
#include <vector>
#include <xrecon/component.hpp>
#include <xrecon/error.hpp>

#include "number_text.hpp"
#include "sample_types.hpp"
#include "tiff_file.hpp"

namespace xrecon::io {
namespace {

// One page of the stack, for messages: "FILE: page 3 ..." in a multi-page file, "FILE: ..." in a folder.
struct Page {
  TiffFile* tiff;
  std::optional<std::size_t> number;
  [[noreturn]] void fail(const std::string& what) const {
    tiff->fail((number ? "page " + std::to_string(*number) + " " : std::string()) + what);
  }
};

struct PageFormat {
  std::size_t rows = 0;
  std::size_t cols = 0;
  SampleType type = SampleType::uint16;
};

SampleType sample_type(const Page& page, std::uint16_t format, std::uint16_t bits) {
  struct Known {
    std::uint16_t format, bits;
    SampleType type;
  };
  static constexpr Known kKnown[] = {
      {SAMPLEFORMAT_UINT, 8, SampleType::uint8},      {SAMPLEFORMAT_INT, 8, SampleType::int8},
      {SAMPLEFORMAT_UINT, 16, SampleType::uint16},    {SAMPLEFORMAT_INT, 16, SampleType::int16},
      {SAMPLEFORMAT_UINT, 32, SampleType::uint32},    {SAMPLEFORMAT_INT, 32, SampleType::int32},
      {SAMPLEFORMAT_IEEEFP, 32, SampleType::float32}, {SAMPLEFORMAT_IEEEFP, 64, SampleType::float64},
  };
  for (const Known& known : kKnown)
    if (known.format == format && known.bits == bits) return known.type;
  const char* kind = format == SAMPLEFORMAT_UINT     ? "unsigned integer"
                     : format == SAMPLEFORMAT_INT    ? "signed integer"
                     : format == SAMPLEFORMAT_IEEEFP ? "floating-point"
                                                     : "other (complex or undefined)";
  page.fail("has " + std::to_string(bits) + "-bit " + kind +
            " samples, expected 8, 16 or 32-bit integers or 32 or 64-bit floats");
}

PageFormat page_format(const Page& page) {
  TIFF* tiff = page.tiff->get();
  std::uint32_t width = 0, height = 0;
  if (!TIFFGetField(tiff, TIFFTAG_IMAGEWIDTH, &width) || !TIFFGetField(tiff, TIFFTAG_IMAGELENGTH, &height))
    page.fail("has no image width or length");
  if (width == 0 || height == 0) page.fail("is empty (" + std::to_string(height) + " x " + std::to_string(width) + ")");
  std::uint16_t samples = 1, bits = 1, format = SAMPLEFORMAT_UINT, photometric = PHOTOMETRIC_MINISBLACK;
  TIFFGetFieldDefaulted(tiff, TIFFTAG_SAMPLESPERPIXEL, &samples);
  TIFFGetFieldDefaulted(tiff, TIFFTAG_BITSPERSAMPLE, &bits);
  TIFFGetFieldDefaulted(tiff, TIFFTAG_SAMPLEFORMAT, &format);
  if (samples != 1) page.fail("has " + std::to_string(samples) + " samples per pixel (colour?), expected grayscale: 1");
  // Detector images are "black is zero"; white-is-zero or palette images hold no intensities.
  if (TIFFGetField(tiff, TIFFTAG_PHOTOMETRIC, &photometric) && photometric != PHOTOMETRIC_MINISBLACK)
    page.fail("has photometric interpretation " + std::to_string(photometric) +
              ", expected grayscale with black as zero (1, min-is-black)");
  return {height, width, sample_type(page, format, bits)};
}

// The rows [rows.begin, rows.end) of the current page, as raw samples, row after row.
std::vector<unsigned char> page_bytes(const Page& page, const PageFormat& format, RowRange rows) {
  TIFF* tiff = page.tiff->get();
  const std::size_t item = sample_bytes(format.type);
  const std::size_t row_bytes = format.cols * item;
  std::vector<unsigned char> out(rows.count() * row_bytes);
  if (!TIFFIsTiled(tiff)) {
    // A compressed strip decodes from its start only, so reading begins at the strip holding the first row.
    std::uint32_t rows_per_strip = 0;
    TIFFGetFieldDefaulted(tiff, TIFFTAG_ROWSPERSTRIP, &rows_per_strip);
    const std::size_t first = rows_per_strip == 0 ? 0 : rows.begin / rows_per_strip * rows_per_strip;
    std::vector<unsigned char> line(std::max<std::size_t>(std::size_t(TIFFScanlineSize64(tiff)), row_bytes));
    for (std::size_t r = first; r < rows.end; ++r) {
      if (TIFFReadScanline(tiff, line.data(), std::uint32_t(r), 0) < 0)
        page.fail("row " + std::to_string(r) + " cannot be read");
      if (r >= rows.begin)
        std::copy_n(line.begin(), row_bytes, out.begin() + std::ptrdiff_t((r - rows.begin) * row_bytes));
    }
    return out;
  }
  std::uint32_t tile_width = 0, tile_length = 0;
  TIFFGetField(tiff, TIFFTAG_TILEWIDTH, &tile_width);
  TIFFGetField(tiff, TIFFTAG_TILELENGTH, &tile_length);
  if (tile_width == 0 || tile_length == 0) page.fail("is tiled but gives no tile size");
  std::vector<unsigned char> tile(
      std::max<std::size_t>(std::size_t(TIFFTileSize64(tiff)), std::size_t(tile_width) * tile_length * item));
  for (std::size_t y = rows.begin / tile_length * tile_length; y < rows.end; y += tile_length)
    for (std::size_t x = 0; x < format.cols; x += tile_width) {
      if (TIFFReadTile(tiff, tile.data(), std::uint32_t(x), std::uint32_t(y), 0, 0) < 0)
        page.fail("tile at row " + std::to_string(y) + ", column " + std::to_string(x) + " cannot be read");
      const std::size_t width = std::min<std::size_t>(tile_width, format.cols - x);
      for (std::size_t r = std::max(y, rows.begin); r < std::min(y + tile_length, rows.end); ++r)
        std::copy_n(tile.begin() + std::ptrdiff_t((r - y) * tile_width * item), width * item,
                    out.begin() + std::ptrdiff_t((r - rows.begin) * row_bytes + x * item));
    }
  return out;
}

// Reads the current page's selected rows into `destination` (rows.count() x cols floats).
void read_page(const Page& page, const PageFormat& format, RowRange rows, float* destination) {
  const std::vector<unsigned char> bytes = page_bytes(page, format, rows);
  if (const std::optional<BadSample> bad =
          convert_samples(format.type, bytes.data(), rows.count() * format.cols, destination))
    page.fail("has a non-finite value (" + number_text(bad->value) +
              (std::isfinite(bad->value) ? ", beyond float32" : "") + ") at row " +
              std::to_string(rows.begin + bad->index / format.cols) + ", column " +
              std::to_string(bad->index % format.cols));
}

std::string size_text(const PageFormat& format) {
  return std::to_string(format.rows) + " x " + std::to_string(format.cols) + " pixels (rows x cols)";
}

// Every page after the first must have its size; `first` names where that size came from.
void require_same_size(const Page& page, const PageFormat& format, const PageFormat& expected,
                       const std::string& first) {
  if (format.rows != expected.rows || format.cols != expected.cols)
    page.fail("has " + size_text(format) + ", expected " + size_text(expected) + " like " + first);
}

// Compares names with runs of digits taken as numbers: "p9" < "p10".
bool natural_less(const std::string& a, const std::string& b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (std::isdigit(static_cast<unsigned char>(a[i])) && std::isdigit(static_cast<unsigned char>(b[j]))) {
      const std::size_t a_end = a.find_first_not_of("0123456789", i), b_end = b.find_first_not_of("0123456789", j);
      std::string_view x = std::string_view(a).substr(i, a_end - i), y = std::string_view(b).substr(j, b_end - j);
      x.remove_prefix(std::min(x.find_first_not_of('0'), x.size()));
      y.remove_prefix(std::min(y.find_first_not_of('0'), y.size()));
      if (x.size() != y.size()) return x.size() < y.size();
      if (x != y) return x < y;
      i = std::min(a_end, a.size());
      j = std::min(b_end, b.size());
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i;
      ++j;
    }
  }
  if (a.size() - i != b.size() - j) return a.size() - i < b.size() - j;
  return a < b;
}

bool is_tiff_name(const std::filesystem::path& file) {
  std::string extension = file.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  return extension == ".tif" || extension == ".tiff";
}

PlainStack read_multipage(const std::filesystem::path& file, const RowSelection& selection) {
  TiffFile tiff(file, "r");
  const std::size_t pages = TIFFNumberOfDirectories(tiff.get());
  if (pages == 0) tiff.fail("holds no pages");
  const PageFormat first = page_format({&tiff, 0});
  const RowRange rows = select_rows(selection, first.rows, file);
  PlainStack stack{ArrayF({pages, rows.count(), first.cols}), first.rows, rows.begin,
                   std::string(to_string(first.type)) + ", " + std::to_string(pages) + " pages",
                   is_integer(first.type)};
  for (std::size_t k = 0; k < pages; ++k) {
    const Page page{&tiff, k};
    if (k > 0 && TIFFReadDirectory(tiff.get()) != 1) page.fail("cannot be read");
    const PageFormat format = k == 0 ? first : page_format(page);
    require_same_size(page, format, first, "page 0");
    read_page(page, format, rows, stack.data.data() + k * rows.count() * first.cols);
  }
  return stack;
}

PlainStack read_folder(const std::filesystem::path& folder, const std::string& pattern, const RowSelection& selection) {
  const std::vector<std::filesystem::path> files = tiff_stack_files(folder, pattern);
  PlainStack stack;
  PageFormat first;
  RowRange rows;
  for (std::size_t k = 0; k < files.size(); ++k) {
    TiffFile tiff(files[k], "r");
    const Page page{&tiff, std::nullopt};
    if (const std::size_t pages = TIFFNumberOfDirectories(tiff.get()); pages != 1)
      page.fail("has " + std::to_string(pages) + " pages, expected one in a folder of single-page files");
    const PageFormat format = page_format(page);
    if (k == 0) {
      first = format;
      rows = select_rows(selection, first.rows, files[0]);
      stack = {ArrayF({files.size(), rows.count(), first.cols}), first.rows, rows.begin,
               std::string(to_string(first.type)) + ", " + std::to_string(files.size()) + " files " +
                   files.front().filename().string() + ".." + files.back().filename().string(),
               is_integer(first.type)};
    }
    require_same_size(page, format, first, files[0].string());
    read_page(page, format, rows, stack.data.data() + k * rows.count() * first.cols);
  }
  return stack;
}

}  // namespace

std::vector<std::filesystem::path> tiff_stack_files(const std::filesystem::path& folder, const std::string& pattern) {
  std::vector<std::filesystem::path> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
    if (!entry.is_regular_file()) continue;
    const std::string name = entry.path().filename().string();
    const bool wanted = pattern.empty() ? is_tiff_name(entry.path()) : ::fnmatch(pattern.c_str(), name.c_str(), 0) == 0;
    if (wanted) files.push_back(entry.path());
  }
  if (error) throw InputError(folder.string() + ": cannot list the folder: " + error.message());
  if (files.empty())
    throw InputError(folder.string() + ": no files " +
                     (pattern.empty() ? std::string("ending in .tif or .tiff") : "matching '" + pattern + "'") +
                     " in the folder");
  std::sort(files.begin(), files.end(),
            [](const auto& a, const auto& b) { return natural_less(a.filename().string(), b.filename().string()); });
  return files;
}

PlainStack read_tiff_stack(const std::filesystem::path& path, const std::string& pattern, const RowSelection& rows) {
  if (std::filesystem::is_directory(path)) return read_folder(path, pattern, rows);
  if (!pattern.empty())
    throw ParamError("pattern", "is '" + pattern + "', which selects files of a folder, but " + path.string() +
                                    " is a file: give the folder as the path");
  return read_multipage(path, rows);
}

}  // namespace xrecon::io
