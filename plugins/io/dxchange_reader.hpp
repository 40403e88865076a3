#pragma once
// Reads tomography projections stored in the Data Exchange layout (as written by DXchange and
// read by TomoPy): /exchange/data, /exchange/data_white, /exchange/data_dark, /exchange/theta.
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <xrecon/axis_params.hpp>
#include <xrecon/payload.hpp>

namespace xrecon::io {

// How to read /exchange/theta: from its `units` attribute (degrees when it has none, as DXchange
// and TomoPy store angles), or as the user says for files that lack the attribute.
enum class ThetaUnits { from_file, degrees, radians };

struct DxchangeOptions {
  // (data - dark) / (white - dark) with the flat and dark frames averaged (tomo::normalize_flat_dark).
  // With normalize and minus_log both false, the raw counts carry the averaged flat and dark
  // fields along (Projections::flats/darks) for a prep.normalize stage.
  bool normalize = true;
  // -log of the (normalised) transmission, giving line integrals.
  bool minus_log = true;
  // Detector rows [start_row, end_row) to read; only these rows are loaded from the file.
  std::size_t start_row = 0;
  std::optional<std::size_t> end_row = std::nullopt;  // all rows when absent
  // Column of the rotation axis and its convention (axis_params.hpp).
  AxisOptions axis;
  ThetaUnits theta_units = ThetaUnits::from_file;
};

struct DxchangeResult {
  std::shared_ptr<Projections> projections;
  std::size_t total_rows = 0;  // rows in the file, of which projections holds the selected range
  std::size_t flat_count = 0;  // frames averaged (0 when not normalised)
  std::size_t dark_count = 0;
  bool theta_in_degrees = true;
  // Where that unit came from: "its units attribute", "theta_units: degrees", or "assumed: no
  // units attribute" (for the log, so a wrong unit can be traced).
  std::string theta_units_source;
  // Doubts worth telling the user, e.g. angles that look like radians without a units attribute.
  std::vector<std::string> warnings;
};

// Throws InputError naming the file and dataset for every layout problem (missing datasets,
// wrong rank or shape, theta count, non-finite values) and ParamError for a bad row range.
DxchangeResult read_dxchange(const std::filesystem::path& path, const DxchangeOptions& options = {});

}  // namespace xrecon::io
