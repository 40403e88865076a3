#pragma once
// Reads a far-field ptychography scan from a CXI file (layout in cxi_layout.hpp).
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <xrecon/payload.hpp>

namespace xrecon::io {

struct CxiOptions {
  // Free-space pixels before the first and after the last probe window on the object grid.
  std::size_t margin = 2;
};

struct CxiResult {
  std::shared_ptr<PtychoScan> scan;
  double pixel_size = 0;        // metres per object pixel
  bool probe_guessed = false;   // no illumination in the file: a Gaussian stands in
  std::vector<std::string> warnings;
};

// Positions come out in object pixels (cxi_geometry.hpp), the object grid just large enough for
// every window plus the margin. Patterns must be square (the object pixel is the same along both
// axes). Throws InputError "FILE: DATASET ..." for a missing dataset, a wrong rank or shape, a
// count of translations unlike the count of patterns, a negative or NaN intensity (with its
// pattern, row and column), geometry that is not positive and finite, and a probe larger than
// the detector.
CxiResult read_cxi(const std::filesystem::path& path, const CxiOptions& options = {});

}  // namespace xrecon::io
