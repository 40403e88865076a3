#pragma once
// Writes a far-field ptychography scan to a CXI file (layout in cxi_layout.hpp).
#include <filesystem>

#include <xrecon/cancellation.hpp>
#include <xrecon/payload.hpp>

namespace xrecon::io {

// Patterns as float32 chunked per pattern (gzip), translations in metres (cxi_geometry.hpp),
// geometry as scalars, the probe as complex {r, i}. The scan needs positive energy, distance and
// detector pixel (they fix the object pixel size); Error naming the file otherwise. The file
// appears at `path` only when complete; `cancellation` is polled between patterns.
void write_cxi(const PtychoScan& scan, const std::filesystem::path& path, const CancellationToken& cancellation);

}  // namespace xrecon::io
