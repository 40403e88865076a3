#include "stage_geometry.hpp"

#include <memory>

namespace xrecon::tomo_plugin {

void add_size_param(ParamSchema& schema) {
  schema.integer("size", std::nullopt,
                 "width and height of the reconstructed slices in detector pixels, centred on the rotation axis; default: the detector width", 1, 65536);
}

std::optional<std::size_t> size_param(const ParamValues& values) {
  if (!values.has("size")) return std::nullopt;
  return static_cast<std::size_t>(values.integer("size"));
}

tomo::Geometry geometry_of(const Projections& projections, std::optional<std::size_t> size) {
  XRECON_CHECK(projections.data.rank() == 3,
               "projections must have shape (angles, rows, cols), got " + projections.data.shape().to_string());
  return tomo::geometry_of(projections, size.value_or(projections.num_cols()));
}

std::function<SliceMemory(const ParamValues&, const std::map<std::string, std::shared_ptr<const Payload>>&)>
slice_memory_of_projections(NeedOfGeometry need, bool whole_slab) {
  return [need = std::move(need), whole_slab](const ParamValues& values, const auto& first_messages) {
    // The port's kind was checked at validate: the message is Projections.
    const auto& projections = static_cast<const Projections&>(*first_messages.at("projections"));
    return SliceMemory{projections.num_rows(), need(geometry_of(projections, size_param(values))), whole_slab};
  };
}

std::shared_ptr<Volume> volume_from(ArrayF data, const Projections& projections, std::string description) {
  auto volume = std::make_shared<Volume>();
  volume->data = std::move(data);
  volume->voxel_size = projections.pixel_size;
  volume->description = std::move(description);
  volume->sequence = projections.sequence;
  return volume;
}

}  // namespace xrecon::tomo_plugin
