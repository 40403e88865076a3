#pragma once
// Writes a reconstructed volume and its provenance to an HDF5 result file.
#include <filesystem>

#include <xrecon/cancellation.hpp>
#include <xrecon/context.hpp>
#include <xrecon/payload.hpp>

namespace xrecon::io {

inline constexpr int kDefaultGzipLevel = 4;

// Writes `volume` as float32 /volume, chunked per z slice and gzip-compressed at `gzip_level`
// (0 = none, 1..9), with its voxel size and description, and `provenance` plus the creation
// time as attributes of the root group (see result_layout.hpp). The file appears at `path`
// only when complete: `cancellation` is polled between slices and before the final rename, so a
// cancelled or failed write leaves no file and never replaces an existing one.
void write_volume(const Volume& volume, const std::filesystem::path& path, const Provenance& provenance,
                  const CancellationToken& cancellation, int gzip_level = kDefaultGzipLevel);

}  // namespace xrecon::io
