#include "plain_files.hpp"

#include <fstream>
#include <stdexcept>

#include "tiff_file.hpp"

namespace xrecon::io::testing {

std::string npy_dict(const std::string& descr, const std::vector<std::size_t>& shape, bool fortran_order) {
  std::string text =
      "{'descr': '" + descr + "', 'fortran_order': " + (fortran_order ? "True" : "False") + ", 'shape': (";
  for (std::size_t i = 0; i < shape.size(); ++i)
    text += std::to_string(shape[i]) + (shape.size() == 1 || i + 1 < shape.size() ? ", " : "");
  return text + "), }";
}

std::string npy_bytes(const std::string& dict, const std::string& data, int major_version) {
  const std::size_t preamble = major_version == 1 ? 10 : 12;
  std::string header = dict;
  while ((preamble + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::string bytes = "\x93NUMPY";
  bytes += char(major_version);
  bytes += '\0';
  for (std::size_t i = 0; i < preamble - 8; ++i) bytes += char((header.size() >> (8 * i)) & 0xff);
  return bytes + header + data;
}

void write_file(const std::filesystem::path& file, const std::string& bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), std::streamsize(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + file.string());
}

void write_tiff(const std::filesystem::path& file, const std::vector<TiffPage>& pages, TiffLayout layout) {
  TiffFile tiff(file, "w");
  TIFF* t = tiff.get();
  for (const TiffPage& page : pages) {
    TIFFSetField(t, TIFFTAG_IMAGEWIDTH, page.cols);
    TIFFSetField(t, TIFFTAG_IMAGELENGTH, page.rows);
    TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, page.bits);
    TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, page.samples_per_pixel);
    TIFFSetField(t, TIFFTAG_SAMPLEFORMAT, page.sample_format);
    TIFFSetField(t, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    TIFFSetField(t, TIFFTAG_PHOTOMETRIC, page.samples_per_pixel == 1 ? PHOTOMETRIC_MINISBLACK : PHOTOMETRIC_RGB);
    TIFFSetField(t, TIFFTAG_COMPRESSION, layout == TiffLayout::strips_lzw ? COMPRESSION_LZW : COMPRESSION_NONE);
    const std::size_t row_bytes = std::size_t(page.cols) * page.samples_per_pixel * page.bits / 8;
    if (layout == TiffLayout::tiles) {
      const std::uint32_t tile = 16;  // TIFF tiles are multiples of 16
      TIFFSetField(t, TIFFTAG_TILEWIDTH, tile);
      TIFFSetField(t, TIFFTAG_TILELENGTH, tile);
      const std::size_t item = page.bits / 8;
      std::string buffer(std::size_t(tile) * tile * item, '\0');
      for (std::uint32_t y = 0; y < page.rows; y += tile)
        for (std::uint32_t x = 0; x < page.cols; x += tile) {
          std::fill(buffer.begin(), buffer.end(), '\0');
          for (std::uint32_t r = y; r < std::min(y + tile, page.rows); ++r)
            for (std::uint32_t c = x; c < std::min(x + tile, page.cols); ++c)
              std::memcpy(buffer.data() + ((r - y) * tile + (c - x)) * item,
                          page.data.data() + r * row_bytes + c * item, item);
          if (TIFFWriteTile(t, buffer.data(), x, y, 0, 0) < 0) tiff.fail("tile not written");
        }
    } else {
      TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, 2u);
      std::string row(row_bytes, '\0');
      for (std::uint32_t r = 0; r < page.rows; ++r) {
        std::memcpy(row.data(), page.data.data() + r * row_bytes, row_bytes);
        if (TIFFWriteScanline(t, row.data(), r, 0) < 0) tiff.fail("row not written");
      }
    }
    if (!TIFFWriteDirectory(t)) tiff.fail("page not written");
  }
}

}  // namespace xrecon::io::testing
