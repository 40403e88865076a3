#include "volume_writer.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <string>

#include <xrecon/atomic_output.hpp>
#include <xrecon/error.hpp>
#include <xrecon/version.hpp>

#include "hdf5_file.hpp"
#include "result_layout.hpp"

namespace xrecon::io {
namespace {

// HDF5 refuses chunks of 4 GiB or more; slices larger than this are split into row bands.
constexpr std::size_t kMaxChunkBytes = std::size_t(1) << 30;

std::string utc_now_iso8601() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

void write_provenance(Hdf5File& file, const Provenance& provenance) {
  namespace layout = result_layout;
  file.write_string_attribute(layout::kPipeline, provenance.pipeline_text);
  file.write_string_attribute(layout::kPipelinePath, provenance.pipeline_path);
  file.write_string_attribute(layout::kStage, provenance.stage_id);
  file.write_string_attribute(layout::kParameters, provenance.parameters);
  // Outside the engine (tests, tools) nobody fills engine_version; the SDK's own is the truth.
  file.write_string_attribute(layout::kVersion,
                              provenance.engine_version.empty() ? XRECON_VERSION_STRING : provenance.engine_version);
  file.write_string_attribute(layout::kPlugins, provenance.plugins);
  file.write_string_attribute(layout::kCreated, utc_now_iso8601());
}

void write_volume_dataset(Hdf5File& file, const Volume& volume, const ArrayF& host_data,
                          const CancellationToken& cancellation, int gzip_level) {
  const std::size_t nz = host_data.extent(0), ny = host_data.extent(1), nx = host_data.extent(2);
  const std::size_t chunk_rows = std::clamp<std::size_t>(kMaxChunkBytes / (nx * sizeof(float)), 1, ny);
  const std::size_t extents[] = {nz, ny, nx};
  const std::size_t chunk[] = {1, chunk_rows, nx};
  Hdf5Dataset dataset = file.create_float_dataset(result_layout::kVolumePath, extents, chunk, gzip_level);
  dataset.write_real_attribute(result_layout::kVoxelSize, volume.voxel_size);
  if (!volume.description.empty()) dataset.write_string_attribute(result_layout::kDescription, volume.description);

  const std::span<const float> values = host_data.host_span();
  const std::size_t slice = ny * nx;
  for (std::size_t z = 0; z < nz; ++z) {
    cancellation.throw_if_cancelled();
    const std::size_t start[] = {z, 0, 0};
    const std::size_t count[] = {1, ny, nx};
    dataset.write_block(start, count, values.subspan(z * slice, slice));
  }
}

}  // namespace

void write_volume(const Volume& volume, const std::filesystem::path& path, const Provenance& provenance,
                  const CancellationToken& cancellation, int gzip_level) {
  if (volume.data.rank() != 3 || volume.data.empty())
    throw Error("cannot write a volume of shape " + volume.data.shape().to_string() +
                    ", expected a non-empty 3-D array (z, y, x)",
                path.string());
  XRECON_CHECK(gzip_level >= 0 && gzip_level <= 9,
               "compression must be 0..9, got " + std::to_string(gzip_level));
  const ArrayF host_data = volume.data.space().is_host() ? volume.data : volume.data.to(MemorySpace::host());

  AtomicOutput output(path);
  Hdf5File file = Hdf5File::create(output.temp_path(), path);
  write_provenance(file, provenance);
  // The dataset is closed when this returns: the file's strong close must not outlive a handle
  // whose id HDF5 could hand out again.
  write_volume_dataset(file, volume, host_data, cancellation, gzip_level);
  file.close();
  cancellation.throw_if_cancelled();
  output.commit();
}

}  // namespace xrecon::io
