// PNG previews: robust intensity window, central slice, file format and atomic writing.
#include <gtest/gtest.h>
#include <png.h>

#include <cmath>
#include <fstream>
#include <limits>

#include "png_preview.hpp"
#include "temp_dir.hpp"

namespace xrecon::io {
namespace {

using testing::TempDir;

struct DecodedPng {
  std::size_t width = 0, height = 0;
  std::vector<std::uint8_t> gray;
};

// Decoded with libpng's reader, independently of the writer under test.
DecodedPng decode(const std::filesystem::path& path) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  EXPECT_NE(png_image_begin_read_from_file(&image, path.c_str()), 0) << image.message;
  DecodedPng decoded{image.width, image.height, {}};
  EXPECT_EQ(image.format, png_uint_32(PNG_FORMAT_GRAY)) << "stored as 8-bit grayscale";
  image.format = PNG_FORMAT_GRAY;
  decoded.gray.resize(PNG_IMAGE_SIZE(image));
  EXPECT_NE(png_image_finish_read(&image, nullptr, decoded.gray.data(), 0, nullptr), 0) << image.message;
  return decoded;
}

std::string first_bytes(const std::filesystem::path& path, std::size_t count) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes(count, '\0');
  in.read(bytes.data(), std::streamsize(count));
  bytes.resize(std::size_t(in.gcount()));
  return bytes;
}

TEST(PngPreview, WindowIgnoresOutliers) {
  std::vector<float> values(1000);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = float(i);
  values.push_back(1e9f);  // a hot pixel
  values.push_back(std::numeric_limits<float>::quiet_NaN());
  const IntensityWindow window = robust_window(values);
  // 1001 finite values: nearest ranks round(0.005 * 1000) = 5 and round(0.995 * 1000) = 995.
  EXPECT_DOUBLE_EQ(window.low, 5.0);
  EXPECT_DOUBLE_EQ(window.high, 995.0);
}

TEST(PngPreview, MapsTheWindowLinearlyTo8Bits) {
  std::vector<float> values(1000);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = float(i);
  values[0] = -1e9f;
  values[1] = std::numeric_limits<float>::infinity();
  values[999] = 1e9f;
  const GrayImage image = to_gray8(values, 100, 10);
  EXPECT_EQ(image.width, 100u);
  EXPECT_EQ(image.height, 10u);
  // 999 finite values sorted: -1e9, 2, 3, ..., 998, 1e9. Nearest ranks round(0.005 * 998) = 5
  // and round(0.995 * 998) = 993 give the window 6..994.
  EXPECT_EQ(image.pixels[0], 0);      // far below the window
  EXPECT_EQ(image.pixels[1], 0);      // not finite
  EXPECT_EQ(image.pixels[6], 0);      // the low end
  EXPECT_EQ(image.pixels[994], 255);  // the high end
  EXPECT_EQ(image.pixels[999], 255);  // far above
  EXPECT_EQ(image.pixels[253], 64);   // (253 - 6) * 255 / 988 = 63.75
  EXPECT_EQ(image.pixels[747], 191);  // (747 - 6) * 255 / 988 = 191.25
}

TEST(PngPreview, ConstantImageIsBlack) {
  const GrayImage image = to_gray8(std::vector<float>(12, 3.5f), 4, 3);
  EXPECT_EQ(image.pixels, std::vector<std::uint8_t>(12, 0));
}

TEST(PngPreview, WritesTheCentralSliceAsGrayscalePng) {
  TempDir dir;
  Volume volume;
  const std::size_t nz = 3, ny = 8, nx = 10;
  volume.data = ArrayF({nz, ny, nx});
  for (std::size_t z = 0; z < nz; ++z)
    for (std::size_t y = 0; y < ny; ++y)
      for (std::size_t x = 0; x < nx; ++x)
        // Only the central slice (z = 1) is a ramp along x; the others are constant.
        volume.data[(z * ny + y) * nx + x] = z == 1 ? float(x) : 7.0f;
  CancellationToken token;
  write_png_preview(volume, dir / "recon.png", token);

  EXPECT_EQ(first_bytes(dir / "recon.png", 8), std::string("\x89PNG\r\n\x1a\n", 8));
  const DecodedPng png = decode(dir / "recon.png");
  ASSERT_EQ(png.width, nx);
  ASSERT_EQ(png.height, ny);
  ASSERT_EQ(png.gray.size(), nx * ny);
  for (std::size_t y = 0; y < ny; ++y) {
    EXPECT_EQ(png.gray[y * nx + 0], 0);
    EXPECT_EQ(png.gray[y * nx + 9], 255);
    EXPECT_EQ(png.gray[y * nx + 3], std::lround(3 * 255.0 / 9.0));
  }
  EXPECT_TRUE(dir.partial_files().empty());
}

TEST(PngPreview, CancelledPreviewLeavesExistingFileUntouched) {
  TempDir dir;
  CancellationToken token;
  write_png(GrayImage{2, 1, {0, 255}}, dir / "preview.png", token);
  const auto size_before = std::filesystem::file_size(dir / "preview.png");

  token.cancel();
  EXPECT_THROW(write_png(GrayImage{3, 3, std::vector<std::uint8_t>(9, 77)}, dir / "preview.png", token), Cancelled);
  EXPECT_EQ(std::filesystem::file_size(dir / "preview.png"), size_before);
  EXPECT_EQ(decode(dir / "preview.png").width, 2u);
  EXPECT_TRUE(dir.partial_files().empty());

  EXPECT_THROW(write_png(GrayImage{3, 3, std::vector<std::uint8_t>(9, 77)}, dir / "new.png", token), Cancelled);
  EXPECT_FALSE(std::filesystem::exists(dir / "new.png"));
  EXPECT_TRUE(dir.partial_files().empty());
}

TEST(PngPreview, RefusesImagesWithoutPixels) {
  TempDir dir;
  CancellationToken token;
  EXPECT_THROW(write_png(GrayImage{0, 0, {}}, dir / "empty.png", token), Error);
  EXPECT_FALSE(std::filesystem::exists(dir / "empty.png"));
}

}  // namespace
}  // namespace xrecon::io
