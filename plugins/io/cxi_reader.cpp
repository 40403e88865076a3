#include "cxi_reader.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include <xrecon/sim/ptycho_sim.hpp>

#include "cxi_geometry.hpp"
#include "cxi_layout.hpp"
#include "hdf5_file.hpp"

namespace xrecon::io {
namespace {

std::string extents_text(const std::vector<std::size_t>& extents) {
  std::string text = "(";
  for (std::size_t i = 0; i < extents.size(); ++i) text += (i ? ", " : "") + std::to_string(extents[i]);
  return text + ")";
}

void require_rank(const Hdf5Dataset& dataset, std::size_t rank, const char* meaning) {
  const std::vector<std::size_t> extents = dataset.extents();
  if (extents.size() != rank)
    dataset.fail("has shape " + extents_text(extents) + ", expected " + std::to_string(rank) + " dimensions " +
                 meaning);
}

// One positive, finite number (CXI stores geometry as scalar datasets).
double read_positive_scalar(const Hdf5File& file, const char* path, const char* unit) {
  const Hdf5Dataset dataset = file.open_dataset(path);
  dataset.require_numeric();
  if (dataset.element_count() != 1)
    dataset.fail("has " + std::to_string(dataset.element_count()) + " values, expected one");
  double value = 0;
  dataset.read(std::span<double>(&value, 1));
  if (!(value > 0.0) || !std::isfinite(value))
    dataset.fail("is " + std::to_string(value) + ", expected a positive number of " + unit);
  return value;
}

ArrayF read_patterns(const Hdf5File& file) {
  const Hdf5Dataset dataset = file.open_dataset(cxi_layout::kData);
  dataset.require_numeric();
  require_rank(dataset, 3, "(patterns, rows, cols)");
  const std::vector<std::size_t> extents = dataset.extents();
  if (extents[0] == 0 || extents[1] == 0 || extents[2] == 0) dataset.fail("is empty");
  if (extents[1] != extents[2])
    dataset.fail("has " + std::to_string(extents[1]) + "x" + std::to_string(extents[2]) +
                 " patterns, expected square ones (one object pixel size for both axes)");
  ArrayF patterns(Shape{extents[0], extents[1], extents[2]});
  dataset.read(patterns.host_span());
  const std::size_t frame = extents[1] * extents[2];
  for (std::size_t i = 0; i < patterns.size(); ++i)
    if (!(patterns[i] >= 0.0f))
      dataset.fail("holds " + std::to_string(patterns[i]) + " at pattern " + std::to_string(i / frame) + ", row " +
                   std::to_string(i % frame / extents[2]) + ", col " + std::to_string(i % extents[2]) +
                   ": intensities must be non-negative numbers");
  return patterns;
}

std::vector<double> read_translations(const Hdf5File& file, std::size_t pattern_count) {
  const Hdf5Dataset dataset = file.open_dataset(cxi_layout::kTranslation);
  dataset.require_numeric();
  require_rank(dataset, 2, "(positions, 3)");
  const std::vector<std::size_t> extents = dataset.extents();
  if (extents[1] != 3) dataset.fail("has shape " + extents_text(extents) + ", expected (N, 3): x, y, z in metres");
  if (extents[0] != pattern_count)
    dataset.fail("has " + std::to_string(extents[0]) + " positions but " + cxi_layout::kData + " has " +
                 std::to_string(pattern_count) + " patterns");
  std::vector<double> translations(extents[0] * 3);
  dataset.read(std::span<double>(translations));
  for (std::size_t i = 0; i < translations.size(); ++i)
    if (!std::isfinite(translations[i]))
      dataset.fail("holds " + std::to_string(translations[i]) + " at position " + std::to_string(i / 3));
  return translations;
}

ArrayCF read_probe(const Hdf5File& file, std::size_t detector) {
  const Hdf5Dataset dataset = file.open_dataset(cxi_layout::kIllumination);
  require_rank(dataset, 2, "(rows, cols)");
  const std::vector<std::size_t> extents = dataset.extents();
  if (extents[0] > detector || extents[1] > detector)
    dataset.fail("is " + std::to_string(extents[0]) + "x" + std::to_string(extents[1]) +
                 ", larger than the " + std::to_string(detector) + "x" + std::to_string(detector) + " detector");
  ArrayCF probe(Shape{extents[0], extents[1]});
  if (dataset.is_complex()) {
    dataset.read_complex(probe.host_span());
  } else {
    dataset.require_numeric();
    std::vector<float> amplitude(probe.size());
    dataset.read(std::span<float>(amplitude));
    std::transform(amplitude.begin(), amplitude.end(), probe.data(), [](float a) { return std::complex<float>(a); });
  }
  return probe;
}

// No measured probe: a Gaussian a quarter of the detector wide, carrying the mean pattern's
// photons, as a starting guess for a solver that refines the probe.
ArrayCF guess_probe(const ArrayF& patterns) {
  const std::size_t n = patterns.extent(1);
  ArrayCF probe = sim::gaussian_probe(n, double(n) / 4.0);
  double total = 0.0;
  for (float v : patterns.host_span()) total += v;
  const double mean_photons = total / double(patterns.extent(0));
  if (mean_photons > 0.0) sim::normalize_probe_photons(probe, mean_photons);
  return probe;
}

}  // namespace

CxiResult read_cxi(const std::filesystem::path& path, const CxiOptions& options) {
  const Hdf5File file = Hdf5File::open_read_only(path);
  CxiResult result;
  auto scan = std::make_shared<PtychoScan>();
  scan->patterns = read_patterns(file);
  const std::size_t count = scan->patterns.extent(0), detector = scan->patterns.extent(2);
  const std::vector<double> translations = read_translations(file, count);
  scan->distance = read_positive_scalar(file, cxi_layout::kDistance, "metres");
  scan->detector_pixel = read_positive_scalar(file, cxi_layout::kXPixelSize, "metres");
  scan->energy = read_positive_scalar(file, cxi_layout::kEnergy, "joules");
  if (file.has_dataset(cxi_layout::kYPixelSize) &&
      read_positive_scalar(file, cxi_layout::kYPixelSize, "metres") != scan->detector_pixel)
    result.warnings.push_back(std::string(cxi_layout::kYPixelSize) + " differs from x_pixel_size; x_pixel_size is used");

  result.probe_guessed = !file.has_dataset(cxi_layout::kIllumination);
  scan->probe = result.probe_guessed ? guess_probe(scan->patterns) : read_probe(file, detector);

  result.pixel_size = object_pixel_size(scan->energy, scan->distance, detector, scan->detector_pixel);
  scan->positions = positions_from_translations(translations, result.pixel_size, double(options.margin));
  double max_row = 0.0, max_col = 0.0;
  for (std::size_t j = 0; j < count; ++j) {
    max_row = std::max(max_row, scan->positions[j * 2]);
    max_col = std::max(max_col, scan->positions[j * 2 + 1]);
  }
  scan->object_rows = sim::scan_grid_extent(max_row, scan->probe.extent(0), options.margin);
  scan->object_cols = sim::scan_grid_extent(max_col, scan->probe.extent(1), options.margin);
  result.scan = std::move(scan);
  return result;
}

}  // namespace xrecon::io
