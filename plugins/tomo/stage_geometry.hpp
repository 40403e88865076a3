#pragma once
// What the tomography stages share: reading the geometry off a Projections payload, the optional
// `size` parameter, and the Volume they send.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <xrecon/memory_need.hpp>

#include <xrecon/params.hpp>
#include <xrecon/payload.hpp>
#include <xrecon/tomo/projector.hpp>

namespace xrecon::tomo_plugin {

// Adds the `size` parameter: output slice width, default the detector width.
void add_size_param(ParamSchema& schema);
std::optional<std::size_t> size_param(const ParamValues& values);

// The slice geometry for `projections`: their angles and rotation axis, n = size or the
// detector width.
tomo::Geometry geometry_of(const Projections& projections, std::optional<std::size_t> size);

// ComponentSpec::memory_need for a stage with a `projections` input and the `size` parameter:
// one slice per detector row, each needing what `need` says for the run's geometry.
using NeedOfGeometry = std::function<MemoryNeed(const tomo::Geometry&)>;
std::function<SliceMemory(const ParamValues&, const std::map<std::string, std::shared_ptr<const Payload>>&)>
slice_memory_of_projections(NeedOfGeometry need, bool whole_slab);

// A volume carrying the reconstruction and the input's pixel size and sequence number.
std::shared_ptr<Volume> volume_from(ArrayF data, const Projections& projections, std::string description);

}  // namespace xrecon::tomo_plugin
