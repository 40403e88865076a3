#include "cxi_writer.hpp"

#include <cmath>
#include <string>

#include <xrecon/atomic_output.hpp>
#include <xrecon/error.hpp>

#include "cxi_geometry.hpp"
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

}  // namespace

void write_cxi(const PtychoScan& scan, const std::filesystem::path& path, const CancellationToken& cancellation) {
  check_scan(scan, path);
  const ArrayF patterns = scan.patterns.space().is_host() ? scan.patterns : scan.patterns.to(MemorySpace::host());
  const ArrayCF probe = scan.probe.space().is_host() ? scan.probe : scan.probe.to(MemorySpace::host());
  const double pixel_size = object_pixel_size(scan.energy, scan.distance, patterns.extent(2), scan.detector_pixel);

  AtomicOutput output(path);
  Hdf5File file = Hdf5File::create(output.temp_path(), path);
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
  file.close();
  cancellation.throw_if_cancelled();
  output.commit();
}

}  // namespace xrecon::io
