#include "cxi_writer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>

#include <xrecon/atomic_output.hpp>
#include <xrecon/error.hpp>

#include "cxi_geometry.hpp"
#include "cxi_index.hpp"
#include "cxi_layout.hpp"
#include "hdf5_file.hpp"
#include "volume_writer.hpp"

namespace xrecon::io {
namespace {

void check_scan(const PtychoScan& scan, const std::filesystem::path& path) {
  const auto fail = [&](const std::string& what) { throw Error("cannot write the scan: " + what, path.string()); };
  if (scan.patterns.rank() != 3 || scan.patterns.empty())
    fail("patterns have shape " + scan.patterns.shape().to_string() + ", expected (N, H, W)");
  if (scan.positions.rank() != 2 || scan.positions.extent(0) != scan.patterns.extent(0) || scan.positions.extent(1) != 2)
    fail("positions have shape " + scan.positions.shape().to_string() + ", expected (" +
         std::to_string(scan.patterns.extent(0)) + ", 2)");
  if (scan.probe.rank() != 2) fail("the probe has shape " + scan.probe.shape().to_string() + ", expected (H, W)");
  for (const auto& [value, name] : {std::pair{scan.energy, "energy"}, std::pair{scan.distance, "distance"},
                                    std::pair{scan.detector_pixel, "detector_pixel"}})
    if (!(value > 0.0) || !std::isfinite(value))
      fail(std::string(name) + " is " + std::to_string(value) + "; CXI needs it to turn positions into metres");
}

void write_patterns(Hdf5File& file, const ArrayF& patterns, const CancellationToken& cancellation) {
  const std::size_t n = patterns.extent(0), h = patterns.extent(1), w = patterns.extent(2);
  const std::size_t extents[] = {n, h, w};
  const std::size_t chunk[] = {1, h, w};
  Hdf5Dataset dataset = file.create_float_dataset(cxi_layout::kData, extents, chunk, kDefaultGzipLevel);
  const std::span<const float> values = patterns.host_span();
  for (std::size_t j = 0; j < n; ++j) {
    cancellation.throw_if_cancelled();
    const std::size_t start[] = {j, 0, 0};
    dataset.write_block(start, chunk, values.subspan(j * h * w, h * w));
  }
}

void write_scalar(Hdf5File& file, const char* path, double value) {
  file.write_doubles(path, {}, std::span<const double>(&value, 1));
}

// The whole scan into `temp`, a temporary name on its way to `path`.
void write_cxi_file(const PtychoScan& scan, const std::filesystem::path& temp, const std::filesystem::path& path,
                    const CancellationToken& cancellation) {
  check_scan(scan, path);
  const ArrayF patterns = scan.patterns.space().is_host() ? scan.patterns : scan.patterns.to(MemorySpace::host());
  const ArrayCF probe = scan.probe.space().is_host() ? scan.probe : scan.probe.to(MemorySpace::host());
  const double pixel_size = object_pixel_size(scan.energy, scan.distance, patterns.extent(2), scan.detector_pixel);

  Hdf5File file = Hdf5File::create(temp, path);
  // Datasets are closed before the file: its strong close must not outlive a handle.
  write_patterns(file, patterns, cancellation);
  const std::vector<double> translations = translations_from_positions(scan.positions, pixel_size);
  const std::size_t translation_extents[] = {scan.positions.extent(0), 3};
  file.write_doubles(cxi_layout::kTranslation, translation_extents, translations);
  write_scalar(file, cxi_layout::kDistance, scan.distance);
  write_scalar(file, cxi_layout::kXPixelSize, scan.detector_pixel);
  write_scalar(file, cxi_layout::kYPixelSize, scan.detector_pixel);
  write_scalar(file, cxi_layout::kEnergy, scan.energy);
  const std::size_t probe_extents[] = {probe.extent(0), probe.extent(1)};
  file.write_complex(cxi_layout::kIllumination, probe_extents, probe.host_span());
  const double orientation[6] = {std::cos(scan.angle), 0.0, -std::sin(scan.angle), 0.0, 1.0, 0.0};
  const std::size_t orientation_extents[] = {6};
  file.write_doubles(cxi_layout::kOrientation, orientation_extents, orientation);
  if (scan.object_rows > 0 && scan.object_cols > 0) {
    const double grid[2] = {double(scan.object_rows), double(scan.object_cols)};
    const std::size_t grid_extents[] = {2};
    file.write_doubles(cxi_layout::kObjectGrid, grid_extents, grid);
  }
  file.close();
  cancellation.throw_if_cancelled();
}

std::string angle_text(double angle) {
  char text[40];
  std::snprintf(text, sizeof text, "%.10g", angle);
  return text;
}

}  // namespace

void write_cxi(const PtychoScan& scan, const std::filesystem::path& path, const CancellationToken& cancellation) {
  AtomicOutput output(path);
  write_cxi_file(scan, output.temp_path(), path, cancellation);
  output.commit();
}

bool is_cxi_series_path(const std::string& path) {
  if (path.find("{angle}") != std::string::npos || (!path.empty() && path.back() == '/')) return true;
  std::error_code error;
  return std::filesystem::is_directory(path, error);
}

CxiSeriesWriter::CxiSeriesWriter(const std::string& path, const std::filesystem::path& index) {
  XRECON_CHECK(is_cxi_series_path(path), "'" + path + "' names one file; a series needs {angle} in it or a folder");
  pattern_ = path.find("{angle}") != std::string::npos ? path
                                                       : (std::filesystem::path(path) / "angle_{angle}.cxi").string();
  index_ = index.empty() ? std::filesystem::path(pattern_).parent_path() / "index.txt" : index;
}

CxiSeriesWriter::~CxiSeriesWriter() = default;

std::filesystem::path CxiSeriesWriter::file_for(std::size_t sequence) const {
  char number[32];
  std::snprintf(number, sizeof number, "%04zu", sequence);
  std::string name = pattern_;
  for (std::size_t at = name.find("{angle}"); at != std::string::npos; at = name.find("{angle}", at))
    name.replace(at, 7, number);
  return name;
}

void CxiSeriesWriter::write(const PtychoScan& scan, const CancellationToken& cancellation) {
  const std::filesystem::path path = file_for(scan.sequence);
  for (const Written& earlier : written_) {
    if (earlier.sequence == scan.sequence)
      throw Error("a second scan with sequence " + std::to_string(scan.sequence) +
                      " arrived; a series needs one scan per sequence number",
                  path.string());
    if (earlier.angle == scan.angle)
      throw Error("scan " + std::to_string(scan.sequence) + " has the angle " + angle_text(scan.angle) +
                      " rad of scan " + std::to_string(earlier.sequence) + "; a series needs one scan per angle",
                  path.string());
  }
  auto output = std::make_unique<AtomicOutput>(path);
  write_cxi_file(scan, output->temp_path(), path, cancellation);
  written_.push_back({scan.angle, scan.sequence, std::move(output)});
}

void CxiSeriesWriter::commit() {
  XRECON_CHECK(!written_.empty(), "a CXI series needs at least one scan");
  std::vector<CxiIndexEntry> entries;
  for (Written& written : written_) {
    written.output->commit();
    entries.push_back({written.angle, written.output->final_path(), 0});
  }
  std::sort(entries.begin(), entries.end(),
            [](const CxiIndexEntry& a, const CxiIndexEntry& b) { return a.angle < b.angle; });
  AtomicOutput output(index_);
  {
    std::ofstream out(output.temp_path());
    out << cxi_index_text(entries, index_.parent_path());
    out.close();
    if (!out) throw Error("cannot write the CXI index", index_.string());
  }
  output.commit();
}

}  // namespace xrecon::io
