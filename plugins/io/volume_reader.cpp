#include "volume_reader.hpp"

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
