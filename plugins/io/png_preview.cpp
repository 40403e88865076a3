#include "png_preview.hpp"

#include <png.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include <xrecon/atomic_output.hpp>
#include <xrecon/error.hpp>

namespace xrecon::io {
namespace {

double nearest_rank(std::vector<float>& values, double fraction) {
  const auto rank = std::size_t(std::llround(fraction * double(values.size() - 1)));
  std::nth_element(values.begin(), values.begin() + std::ptrdiff_t(rank), values.end());
  return values[rank];
}

}  // namespace

IntensityWindow robust_window(std::span<const float> values) {
  std::vector<float> finite;
  finite.reserve(values.size());
  std::copy_if(values.begin(), values.end(), std::back_inserter(finite), [](float v) { return std::isfinite(v); });
  if (finite.empty()) return {};
  return {nearest_rank(finite, 0.005), nearest_rank(finite, 0.995)};
}

GrayImage to_gray8(std::span<const float> values, std::size_t width, std::size_t height) {
  XRECON_CHECK(values.size() == width * height, "image of " + std::to_string(width) + " x " +
                                                    std::to_string(height) + " pixels given " +
                                                    std::to_string(values.size()) + " values");
  const IntensityWindow window = robust_window(values);
  const double range = window.high - window.low;
  GrayImage image{width, height, std::vector<std::uint8_t>(values.size(), 0)};
  if (!(range > 0)) return image;
  const double scale = 255.0 / range;
  std::transform(values.begin(), values.end(), image.pixels.begin(), [&](float v) -> std::uint8_t {
    if (!std::isfinite(v)) return 0;
    return std::uint8_t(std::lround(std::clamp((double(v) - window.low) * scale, 0.0, 255.0)));
  });
  return image;
}

GrayImage central_slice(const Volume& volume) {
  const ArrayF& data = volume.data;
  XRECON_CHECK(data.rank() == 3 && !data.empty(),
               "a preview needs a non-empty 3-D volume (z, y, x), got " + data.shape().to_string());
  const ArrayF host = data.space().is_host() ? data : data.to(MemorySpace::host());
  const std::size_t height = host.extent(1), width = host.extent(2);
  const std::size_t z = host.extent(0) / 2;
  return to_gray8(host.host_span().subspan(z * height * width, height * width), width, height);
}

void write_png(const GrayImage& image, const std::filesystem::path& path, const CancellationToken& cancellation) {
  XRECON_CHECK(image.width > 0 && image.height > 0 && image.pixels.size() == image.width * image.height,
               "PNG image of " + std::to_string(image.width) + " x " + std::to_string(image.height) +
                   " pixels has " + std::to_string(image.pixels.size()) + " bytes");
  if (image.width > std::numeric_limits<png_int_32>::max() || image.height > std::numeric_limits<png_int_32>::max())
    throw Error("image of " + std::to_string(image.width) + " x " + std::to_string(image.height) +
                    " pixels is too large for PNG",
                path.string());

  AtomicOutput output(path);
  // libpng's simplified API keeps its setjmp/longjmp error handling inside libpng and reports
  // failures through png_image::message, so no longjmp ever crosses a C++ frame here.
  png_image png{};
  png.version = PNG_IMAGE_VERSION;
  png.width = png_uint_32(image.width);
  png.height = png_uint_32(image.height);
  png.format = PNG_FORMAT_GRAY;
  const int written = png_image_write_to_file(&png, output.temp_path().c_str(), 0, image.pixels.data(),
                                              png_int_32(image.width), nullptr);
  const std::string reason = png.message;
  png_image_free(&png);
  if (written == 0) throw Error("cannot write PNG: " + reason, path.string());
  cancellation.throw_if_cancelled();
  output.commit();
}

void write_png_preview(const Volume& volume, const std::filesystem::path& path,
                       const CancellationToken& cancellation) {
  write_png(central_slice(volume), path, cancellation);
}

}  // namespace xrecon::io
