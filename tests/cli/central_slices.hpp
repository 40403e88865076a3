#pragma once
// Central slices of volumes for the quality tests: SSIM against the truth over a band of slices
// around the middle, and (with XRECON_FIGURES=DIR set) the middle slices side by side as a PNG in
// DIR, the README's figures.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "volume_reader.hpp"
#include "xrecon/admm/report.hpp"
#include "xrecon/metrics/image_quality.hpp"

// Slices [begin, end) of a (slices, rows, cols) volume.
inline xrecon::ArrayF slices_of(const xrecon::ArrayF& volume, std::size_t begin, std::size_t end) {
  const std::size_t plane = volume.extent(1) * volume.extent(2);
  xrecon::ArrayF out(xrecon::Shape{end - begin, volume.extent(1), volume.extent(2)});
  std::copy_n(volume.data() + begin * plane, (end - begin) * plane, out.data());
  return out;
}

// Slice z as an image (rows, cols).
inline xrecon::ArrayF slice_of(const xrecon::ArrayF& volume, std::size_t z) {
  xrecon::ArrayF one = slices_of(volume, z, z + 1);
  return one.reshaped(xrecon::Shape{volume.extent(1), volume.extent(2)});
}

// SSIM of the volume in `file` against `truth` over the slices [begin, end), with the truth's range.
inline double ssim_of_slices(const xrecon::ArrayF& truth, const std::string& file, std::size_t begin, std::size_t end) {
  const auto [lo, hi] = std::minmax_element(truth.data(), truth.data() + truth.size());
  return xrecon::metrics::ssim(slices_of(xrecon::io::read_volume(file).data, begin, end), slices_of(truth, begin, end),
                               double(*hi - *lo));
}

// With XRECON_FIGURES=DIR: the truth's middle slice and that of each labelled file, side by side,
// on the truth's grey scale, as DIR/`name`.
inline void write_middle_slices(const xrecon::ArrayF& truth, const std::string& truth_label,
                                const std::vector<std::pair<std::string, std::string>>& shown, const std::string& name) {
  const char* dir = std::getenv("XRECON_FIGURES");
  if (!dir) return;
  const std::size_t z = truth.extent(0) / 2;
  std::vector<xrecon::admm::LabelledImage> images{{truth_label, slice_of(truth, z)}};
  for (const auto& [label, file] : shown) images.push_back({label, slice_of(xrecon::io::read_volume(file).data, z)});
  const auto [lo, hi] = std::minmax_element(truth.data(), truth.data() + truth.size());
  xrecon::admm::write_image_row(images, *lo, *hi, std::filesystem::path(dir) / name, xrecon::CancellationToken{});
}
