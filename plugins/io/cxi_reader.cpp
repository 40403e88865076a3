#include "cxi_reader.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>
#include <optional>
#include <string>
#include <tuple>
#include <utility>

#include <xrecon/sim/ptycho_sim.hpp>

#include "cxi_geometry.hpp"
#include "cxi_index.hpp"
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

// The (N, H, W) extents of the patterns, checked: 3-D, not empty, square patterns.
std::vector<std::size_t> pattern_extents(const Hdf5Dataset& dataset) {
  dataset.require_numeric();
  require_rank(dataset, 3, "(patterns, rows, cols)");
  const std::vector<std::size_t> extents = dataset.extents();
  if (extents[0] == 0 || extents[1] == 0 || extents[2] == 0) dataset.fail("is empty");
  if (extents[1] != extents[2])
    dataset.fail("has " + std::to_string(extents[1]) + "x" + std::to_string(extents[2]) +
                 " patterns, expected square ones (one object pixel size for both axes)");
  return extents;
}

ArrayF read_patterns(const Hdf5File& file) {
  const Hdf5Dataset dataset = file.open_dataset(cxi_layout::kData);
  const std::vector<std::size_t> extents = pattern_extents(dataset);
  ArrayF patterns(Shape{extents[0], extents[1], extents[2]});
  dataset.read(patterns.host_span());
  const std::size_t frame = extents[1] * extents[2];
  for (std::size_t i = 0; i < patterns.size(); ++i)
    if (!(patterns[i] >= 0.0f) || !std::isfinite(patterns[i]))
      dataset.fail("holds " + std::to_string(patterns[i]) + " at pattern " + std::to_string(i / frame) + ", row " +
                   std::to_string(i % frame / extents[2]) + ", col " + std::to_string(i % extents[2]) +
                   ": intensities must be finite, non-negative numbers");
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

// The (rows, cols) of the illumination, checked: 2-D, within the detector.
std::vector<std::size_t> probe_extents(const Hdf5Dataset& dataset, std::size_t detector) {
  require_rank(dataset, 2, "(rows, cols)");
  const std::vector<std::size_t> extents = dataset.extents();
  if (extents[0] > detector || extents[1] > detector)
    dataset.fail("is " + std::to_string(extents[0]) + "x" + std::to_string(extents[1]) +
                 ", larger than the " + std::to_string(detector) + "x" + std::to_string(detector) + " detector");
  return extents;
}

ArrayCF read_probe(const Hdf5File& file, std::size_t detector) {
  const Hdf5Dataset dataset = file.open_dataset(cxi_layout::kIllumination);
  const std::vector<std::size_t> extents = probe_extents(dataset, detector);
  ArrayCF probe(Shape{extents[0], extents[1]});
  if (dataset.is_complex()) {
    dataset.read_complex(probe.host_span());
  } else {
    dataset.require_numeric();
    std::vector<float> amplitude(probe.size());
    dataset.read(std::span<float>(amplitude));
    std::transform(amplitude.begin(), amplitude.end(), probe.data(), [](float a) { return std::complex<float>(a); });
  }
  // A NaN would spread through every farfield; an all-zero probe lights nothing, and every
  // gradient of the object would be zero: both are a broken file, not a starting point.
  double power = 0.0;
  for (std::size_t i = 0; i < probe.size(); ++i) {
    if (!std::isfinite(probe[i].real()) || !std::isfinite(probe[i].imag()))
      dataset.fail("holds a non-finite value at row " + std::to_string(i / extents[1]) + ", col " +
                   std::to_string(i % extents[1]));
    power += std::norm(probe[i]);
  }
  if (!(power > 0.0)) dataset.fail("is zero everywhere: the probe must illuminate something");
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

// The scalars that fix the object pixel, and what they disagree on.
std::string exact(double value) {
  char text[40];
  std::snprintf(text, sizeof text, "%.10g", value);
  return text;
}

struct CxiGeometry {
  double distance = 0, detector_pixel = 0, energy = 0;
  std::vector<std::string> warnings;
};

CxiGeometry read_geometry(const Hdf5File& file) {
  CxiGeometry geometry;
  geometry.distance = read_positive_scalar(file, cxi_layout::kDistance, "metres");
  geometry.detector_pixel = read_positive_scalar(file, cxi_layout::kXPixelSize, "metres");
  geometry.energy = read_positive_scalar(file, cxi_layout::kEnergy, "joules");
  // Positive is not enough: 1e-300 J would make the object pixel astronomically large. X-ray
  // photons of any beamline lie far inside 10 eV .. 10 MeV (CXI stores joules, not eV).
  constexpr double kElectronvolt = 1.602176634e-19;
  if (geometry.energy < 10 * kElectronvolt || geometry.energy > 1e7 * kElectronvolt)
    file.open_dataset(cxi_layout::kEnergy)
        .fail("is " + exact(geometry.energy) + " J (" + exact(geometry.energy / kElectronvolt) +
              " eV), expected a photon energy between 10 eV and 10 MeV, in joules");
  if (file.has_dataset(cxi_layout::kYPixelSize) &&
      read_positive_scalar(file, cxi_layout::kYPixelSize, "metres") != geometry.detector_pixel)
    geometry.warnings.push_back(std::string(cxi_layout::kYPixelSize) +
                                " differs from x_pixel_size; x_pixel_size is used");
  return geometry;
}


// The angle of the sample orientation when the file has one (cxi_layout.hpp); InputError when it
// is not a rotation about the vertical axis.
std::optional<double> read_orientation_angle(const Hdf5File& file) {
  if (!file.has_dataset(cxi_layout::kOrientation)) return std::nullopt;
  const Hdf5Dataset dataset = file.open_dataset(cxi_layout::kOrientation);
  dataset.require_numeric();
  if (dataset.element_count() != 6)
    dataset.fail("has " + std::to_string(dataset.element_count()) + " values, expected 6 direction cosines");
  double o[6];
  dataset.read(std::span<double>(o, 6));
  constexpr double tolerance = 1e-6;
  const bool about_vertical = std::abs(o[1]) < tolerance && std::abs(o[3]) < tolerance &&
                              std::abs(o[4] - 1.0) < tolerance && std::abs(o[5]) < tolerance &&
                              std::abs(o[0] * o[0] + o[2] * o[2] - 1.0) < tolerance;
  if (!about_vertical)
    dataset.fail("is [" + exact(o[0]) + ", " + exact(o[1]) + ", " + exact(o[2]) + ", " + exact(o[3]) + ", " +
                 exact(o[4]) + ", " + exact(o[5]) +
                 "], expected a rotation about the vertical axis: [cos a, 0, -sin a, 0, 1, 0]");
  return std::atan2(-o[2], o[0]);
}

// xrecon's object grid (rows, cols) when the file has one.
std::optional<std::pair<std::size_t, std::size_t>> read_object_grid(const Hdf5File& file) {
  if (!file.has_dataset(cxi_layout::kObjectGrid)) return std::nullopt;
  const Hdf5Dataset dataset = file.open_dataset(cxi_layout::kObjectGrid);
  dataset.require_numeric();
  if (dataset.element_count() != 2)
    dataset.fail("has " + std::to_string(dataset.element_count()) + " values, expected 2: rows, cols");
  double grid[2];
  dataset.read(std::span<double>(grid, 2));
  for (double extent : grid)
    if (!(extent >= 1.0 && extent <= 1e9) || extent != std::floor(extent))
      dataset.fail("holds " + exact(extent) + ", expected positive whole numbers of object pixels");
  return std::pair{std::size_t(grid[0]), std::size_t(grid[1])};
}

// -translation / pixel size (cxi_geometry.hpp) without a shift.
ArrayD unshifted_positions(std::span<const double> translations, double pixel_size) {
  const std::size_t count = translations.size() / 3;
  ArrayD positions(Shape{count, 2});
  for (std::size_t j = 0; j < count; ++j) {
    positions[j * 2] = -translations[j * 3 + 1] / pixel_size;
    positions[j * 2 + 1] = -translations[j * 3] / pixel_size;
  }
  return positions;
}

// Unshifted positions, each (h, w) window inside the (rows, cols) grid; rounding of the metres
// on the way (a few 1e-15 pixels) is clamped away.
ArrayD positions_on_grid(std::span<const double> translations, double pixel_size, std::size_t rows, std::size_t cols,
                         std::size_t h, std::size_t w, const std::filesystem::path& path) {
  ArrayD positions = unshifted_positions(translations, pixel_size);
  const std::size_t count = positions.extent(0);
  constexpr double tolerance = 1e-6;
  const double last_row = double(rows) - double(h), last_col = double(cols) - double(w);
  for (std::size_t j = 0; j < count; ++j) {
    double& row = positions[j * 2];
    double& col = positions[j * 2 + 1];
    if (row < -tolerance || col < -tolerance || row > last_row + tolerance || col > last_col + tolerance)
      throw InputError(std::string(cxi_layout::kTranslation) + " puts position " + std::to_string(j) + " at row " +
                           exact(row) + ", col " + exact(col) + ", which takes the " + std::to_string(h) + "x" +
                           std::to_string(w) + " probe window outside the " + std::to_string(rows) + "x" +
                           std::to_string(cols) + " object grid of " + cxi_layout::kObjectGrid +
                           " (expected rows 0 to " + exact(last_row) + ", cols 0 to " + exact(last_col) + ")",
                       path.string());
    row = std::clamp(row, 0.0, std::max(last_row, 0.0));
    col = std::clamp(col, 0.0, std::max(last_col, 0.0));
  }
  return positions;
}

std::string extents_text(std::size_t rows, std::size_t cols) {
  return std::to_string(rows) + "x" + std::to_string(cols);
}

}  // namespace

CxiResult read_cxi(const std::filesystem::path& path, const CxiOptions& options) {
  const Hdf5File file = Hdf5File::open_read_only(path);
  CxiResult result;
  auto scan = std::make_shared<PtychoScan>();
  scan->patterns = read_patterns(file);
  const std::size_t count = scan->patterns.extent(0), detector = scan->patterns.extent(2);
  const std::vector<double> translations = read_translations(file, count);
  CxiGeometry geometry = read_geometry(file);
  scan->distance = geometry.distance;
  scan->detector_pixel = geometry.detector_pixel;
  scan->energy = geometry.energy;
  result.warnings = std::move(geometry.warnings);
  if (const std::optional<double> angle = read_orientation_angle(file)) scan->angle = *angle;

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
  // Translations in the wrong unit (micrometres read as metres) put the windows kilometres apart:
  // refuse an object grid no reconstruction could hold rather than allocate it.
  constexpr std::size_t kLargestObjectSide = 1 << 16;
  if (scan->object_rows > kLargestObjectSide || scan->object_cols > kLargestObjectSide)
    throw InputError(std::string(cxi_layout::kTranslation) + " spreads the positions over an object of " +
                         extents_text(scan->object_rows, scan->object_cols) + " pixels of " +
                         exact(result.pixel_size) + " m; expected at most " + std::to_string(kLargestObjectSide) +
                         " per side (CXI translations are in metres)",
                     path.string());
  result.scan = std::move(scan);
  return result;
}

CxiSeries::CxiSeries(std::filesystem::path index, const CxiOptions& options) : index_(std::move(index)) {
  const std::vector<CxiIndexEntry> entries = read_cxi_index(index_);
  // What the first file fixes for all the others.
  std::size_t probe_rows = 0, probe_cols = 0;
  bool gridded = false;  // the first file has an object grid (then rows_, cols_ hold it)
  std::vector<std::vector<double>> translations;
  const auto first_name = [&] {
    return files_.front().path.string() + " (the first file of " + index_.string() + ")";
  };
  for (const CxiIndexEntry& entry : entries) {
    const std::string listed = index_.string() + ":" + std::to_string(entry.line);
    std::error_code error;
    if (!std::filesystem::exists(entry.file, error))
      throw InputError("lists " + entry.file.string() + ", which does not exist", listed);
    const Hdf5File file = Hdf5File::open_read_only(entry.file);
    const auto fail = [&](const std::string& what) -> void { throw InputError(what, entry.file.string()); };
    const std::vector<std::size_t> extents = pattern_extents(file.open_dataset(cxi_layout::kData));
    File record{entry.file, entry.line, entry.angle, extents[0], {}, {}};
    translations.push_back(read_translations(file, extents[0]));
    CxiGeometry geometry = read_geometry(file);
    record.warnings = std::move(geometry.warnings);
    std::size_t h = extents[1], w = extents[2];
    if (file.has_dataset(cxi_layout::kIllumination)) {
      const std::vector<std::size_t> probe = probe_extents(file.open_dataset(cxi_layout::kIllumination), extents[2]);
      h = probe[0];
      w = probe[1];
    }
    const double pixel_size =
        object_pixel_size(geometry.energy, geometry.distance, extents[2], geometry.detector_pixel);
    const std::optional<double> turned = read_orientation_angle(file);
    if (turned && std::abs(std::remainder(*turned - entry.angle, 2.0 * std::numbers::pi)) > 1e-6)
      fail(std::string(cxi_layout::kOrientation) + " turns the sample by " + exact(*turned) + " rad, but " + listed +
           " gives the angle " + exact(entry.angle) + " rad");
    const std::optional<std::pair<std::size_t, std::size_t>> grid = read_object_grid(file);

    if (files_.empty()) {
      detector_rows_ = extents[1];
      detector_cols_ = extents[2];
      probe_rows = h;
      probe_cols = w;
      pixel_size_ = pixel_size;
      gridded = grid.has_value();
      if (grid) std::tie(rows_, cols_) = *grid;
    } else {
      if (extents[1] != detector_rows_ || extents[2] != detector_cols_)
        fail(std::string(cxi_layout::kData) + " has " + extents_text(extents[1], extents[2]) + " patterns, expected " +
             extents_text(detector_rows_, detector_cols_) + " like " + first_name() + ": one detector for the series");
      if (h != probe_rows || w != probe_cols)
        fail(std::string(cxi_layout::kIllumination) + " is " + extents_text(h, w) + ", expected " +
             extents_text(probe_rows, probe_cols) + " like " + first_name());
      if (std::abs(pixel_size - pixel_size_) > 1e-9 * pixel_size_)
        fail("the object pixel is " + exact(pixel_size) + " m (energy, distance, detector pixel), expected " +
             exact(pixel_size_) + " m like " + first_name() + ": one object grid for the series");
      if (grid.has_value() != gridded)
        fail(grid ? std::string("has ") + cxi_layout::kObjectGrid + " but " + first_name() + " has none"
                  : std::string("has no ") + cxi_layout::kObjectGrid + " but " + first_name() + " has one");
      if (grid && *grid != std::pair{rows_, cols_})
        fail(std::string(cxi_layout::kObjectGrid) + " is " + extents_text(grid->first, grid->second) + ", expected " +
             extents_text(rows_, cols_) + " like " + first_name());
    }
    if (grid)
      record.positions =
          positions_on_grid(translations.back(), pixel_size, grid->first, grid->second, h, w, entry.file);
    files_.push_back(std::move(record));
  }

  if (gridded) return;
  // One shift for the whole series: the translations of every angle are in the stage's frame.
  double low[2] = {std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity()};
  double high[2] = {-std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};
  for (std::size_t k = 0; k < files_.size(); ++k) {
    files_[k].positions = unshifted_positions(translations[k], pixel_size_);
    for (std::size_t j = 0; j < files_[k].patterns; ++j)
      for (int axis = 0; axis < 2; ++axis) {
        low[axis] = std::min(low[axis], files_[k].positions[j * 2 + axis]);
        high[axis] = std::max(high[axis], files_[k].positions[j * 2 + axis]);
      }
  }
  const double margin = double(options.margin);
  for (File& file : files_)
    for (std::size_t j = 0; j < file.patterns; ++j)
      for (int axis = 0; axis < 2; ++axis) file.positions[j * 2 + axis] += margin - low[axis];
  rows_ = sim::scan_grid_extent(high[0] - low[0] + margin, probe_rows, options.margin);
  cols_ = sim::scan_grid_extent(high[1] - low[1] + margin, probe_cols, options.margin);
}

CxiResult CxiSeries::read(std::size_t k) const {
  XRECON_CHECK(k < files_.size(), "scan " + std::to_string(k) + " of a series of " + std::to_string(files_.size()));
  const File& record = files_[k];
  const Hdf5File file = Hdf5File::open_read_only(record.path);
  CxiResult result;
  auto scan = std::make_shared<PtychoScan>();
  scan->patterns = read_patterns(file);
  if (scan->patterns.extent(0) != record.patterns || scan->patterns.extent(1) != detector_rows_ ||
      scan->patterns.extent(2) != detector_cols_)
    throw InputError(std::string(cxi_layout::kData) + " is now " + scan->patterns.shape().to_string() +
                         ", it changed since the series was opened",
                     record.path.string());
  CxiGeometry geometry = read_geometry(file);
  scan->distance = geometry.distance;
  scan->detector_pixel = geometry.detector_pixel;
  scan->energy = geometry.energy;
  result.warnings = record.warnings;
  result.probe_guessed = !file.has_dataset(cxi_layout::kIllumination);
  scan->probe = result.probe_guessed ? guess_probe(scan->patterns) : read_probe(file, detector_cols_);
  scan->positions = record.positions.clone();
  scan->object_rows = rows_;
  scan->object_cols = cols_;
  scan->angle = record.angle;
  scan->sequence = k;
  result.pixel_size = object_pixel_size(scan->energy, scan->distance, detector_cols_, scan->detector_pixel);
  result.scan = std::move(scan);
  return result;
}

}  // namespace xrecon::io
