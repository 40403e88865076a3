#include "volume_reader.hpp"

#include <algorithm>
#include <cmath>

#include "hdf5_file.hpp"
#include "result_layout.hpp"

namespace xrecon::io {

Volume read_volume(const std::filesystem::path& path) {
  const Hdf5File file = Hdf5File::open_read_only(path);
  const Hdf5Dataset dataset = file.open_dataset(result_layout::kVolumePath);
  dataset.require_numeric();
  const std::vector<std::size_t> extents = dataset.extents();
  if (extents.size() != 3)
    dataset.fail("must be 3-D (z, y, x), found " + std::to_string(extents.size()) + "-D");
  if (dataset.element_count() == 0) dataset.fail("is empty");

  Volume volume;
  volume.data = ArrayF({extents[0], extents[1], extents[2]});
  dataset.read<float>(volume.data.host_span());
  // Checked where it is read: a NaN here would come out of every stage downstream as NaN.
  const auto values = volume.data.host_span();
  if (const auto bad = std::find_if(values.begin(), values.end(), [](float v) { return !std::isfinite(v); });
      bad != values.end()) {
    const std::size_t i = std::size_t(bad - values.begin()), plane = extents[1] * extents[2];
    dataset.fail("has a non-finite value (" + std::to_string(*bad) + ") at [" + std::to_string(i / plane) + ", " +
                 std::to_string(i % plane / extents[2]) + ", " + std::to_string(i % extents[2]) + "]");
  }
  volume.voxel_size = dataset.real_attribute(result_layout::kVoxelSize).value_or(1.0);
  volume.description = dataset.string_attribute(result_layout::kDescription).value_or("");
  return volume;
}

StoredProvenance read_provenance(const std::filesystem::path& path) {
  namespace layout = result_layout;
  const Hdf5File file = Hdf5File::open_read_only(path);
  auto text = [&file](std::string_view name) { return file.string_attribute(name).value_or(""); };
  StoredProvenance stored;
  stored.provenance.pipeline_text = text(layout::kPipeline);
  stored.provenance.pipeline_path = text(layout::kPipelinePath);
  stored.provenance.stage_id = text(layout::kStage);
  stored.provenance.parameters = text(layout::kParameters);
  stored.provenance.engine_version = text(layout::kVersion);
  stored.provenance.plugins = text(layout::kPlugins);
  stored.created = text(layout::kCreated);
  return stored;
}

}  // namespace xrecon::io
