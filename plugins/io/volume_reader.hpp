#pragma once
// Reads result files written by write_volume(), for tests and pipelines that start from a result.
#include <filesystem>
#include <string>

#include <xrecon/context.hpp>
#include <xrecon/payload.hpp>

namespace xrecon::io {

// The /volume dataset with its voxel size (1 when absent) and description. InputError naming
// the file when it is not a readable result.
Volume read_volume(const std::filesystem::path& path);

struct StoredProvenance {
  Provenance provenance;
  std::string created;  // UTC, ISO-8601
};

// The provenance attributes of a result file; attributes it lacks read as empty text.
StoredProvenance read_provenance(const std::filesystem::path& path);

}  // namespace xrecon::io
