#pragma once
// What the plain inputs (.npy arrays, TIFF stacks) share once their numbers are read: the row
// range, the angles they do not carry, the rotation axis and -log, ending in the Projections
// payload that io.dxchange produces too.
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>
#include <xrecon/array.hpp>
#include <xrecon/axis_params.hpp>
#include <xrecon/payload.hpp>

#include "projection_angles.hpp"

namespace xrecon::io {

// Detector rows [start_row, end_row) to read; all rows when end_row is absent.
struct RowSelection {
  std::size_t start_row = 0;
  std::optional<std::size_t> end_row;
};

struct RowRange {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::size_t count() const { return end - begin; }
};

// The selected rows of a detector of `total_rows`; ParamError naming start_row or end_row and
// `file` when they fall outside it.
RowRange select_rows(const RowSelection& selection, std::size_t total_rows, const std::filesystem::path& file);

// The numbers of a plain input file: the selected rows of every projection, as float32.
struct PlainStack {
  ArrayF data;                 // (angles, rows in the range, cols)
  std::size_t total_rows = 0;  // rows in the file
  std::size_t first_row = 0;   // the file row of data's first row
  std::string layout;          // what was read, for the log: "float32, C order", "uint16, 180 pages"
  bool integers = false;       // stored as integers (the first page's type, for a TIFF stack)
};

struct PlainInputOptions {
  RowSelection rows;
  AngleOptions angles;
  AxisOptions axis;  // detector column of the rotation axis and its convention (xrecon/axis_params.hpp)
  // -log of a transmission. Off by default: a sinogram saved from TomoPy, ASTRA or
  // skimage.transform.radon holds line integrals already.
  bool minus_log = false;
};

struct PlainInputResult {
  std::shared_ptr<Projections> projections;
  std::size_t total_rows = 0;
  std::size_t first_row = 0;
  std::string layout;
  ProjectionAngles angles;
  std::vector<std::string> warnings;  // doubts for the log, e.g. a transmission kept as it is
};

// Checks the centre against the columns, reads the angles (one per projection), takes -log when
// asked (refusing data that is not a transmission, as io.dxchange does).
PlainInputResult finish_projections(const std::filesystem::path& file, PlainStack stack,
                                    const PlainInputOptions& options);

// "read FILE: 180 projections x 1 rows x 256 cols (float32, C order); theta 0.00..179.00 deg
// (theta.txt in degrees, auto: ...)" and "; -log applied".
std::string describe(const std::filesystem::path& file, const PlainInputResult& result, bool minus_log);

}  // namespace xrecon::io
