#pragma once
// Where xrecon stores a result in its HDF5 files; the writer and the reader share these names.
#include <string_view>

namespace xrecon::io::result_layout {

inline constexpr std::string_view kVolumePath = "/volume";  // float32 (z, y, x)
// Attributes of /volume.
inline constexpr std::string_view kVoxelSize = "voxel_size";  // metres
inline constexpr std::string_view kDescription = "description";
// Provenance attributes of the root group.
inline constexpr std::string_view kPipeline = "pipeline";
inline constexpr std::string_view kPipelinePath = "pipeline_path";
inline constexpr std::string_view kStage = "stage";
inline constexpr std::string_view kParameters = "parameters";
inline constexpr std::string_view kVersion = "xrecon_version";
inline constexpr std::string_view kPlugins = "plugins";
inline constexpr std::string_view kCreated = "created";  // UTC, ISO-8601

}  // namespace xrecon::io::result_layout
