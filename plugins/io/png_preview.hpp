#pragma once
// 8-bit grayscale PNG previews of volumes, for a quick look without an HDF5 viewer.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include <xrecon/cancellation.hpp>
#include <xrecon/payload.hpp>

namespace xrecon::io {

struct GrayImage {
  std::size_t width = 0;
  std::size_t height = 0;
  std::vector<std::uint8_t> pixels;  // row-major, height x width
};

// The intensity range mapped to black..white: the 0.5th and 99.5th percentiles of the finite
// values (nearest rank), so a few hot pixels or a ring artefact do not wash out the image.
struct IntensityWindow {
  double low = 0;
  double high = 0;
};
IntensityWindow robust_window(std::span<const float> values);

// Maps `values` (height x width, row-major) linearly from robust_window() to 0..255, clamping
// outside it. Non-finite values and a constant image map to 0.
GrayImage to_gray8(std::span<const float> values, std::size_t width, std::size_t height);

// The central z slice (z = depth / 2) of a volume as a gray image.
GrayImage central_slice(const Volume& volume);

// Writes `image` as an 8-bit grayscale PNG through a temporary file renamed over `path` only
// when complete and not cancelled. Throws xrecon::Error with libpng's reason on failure.
void write_png(const GrayImage& image, const std::filesystem::path& path, const CancellationToken& cancellation);

// write_png(central_slice(volume), ...).
void write_png_preview(const Volume& volume, const std::filesystem::path& path,
                       const CancellationToken& cancellation);

}  // namespace xrecon::io
