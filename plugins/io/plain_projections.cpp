#include "plain_projections.hpp"

#include <xrecon/component.hpp>
#include <xrecon/tomo/preprocess.hpp>

#include "number_text.hpp"
#include "read_summary.hpp"

namespace xrecon::io {

RowRange select_rows(const RowSelection& selection, std::size_t total_rows, const std::filesystem::path& file) {
  const std::size_t end = selection.end_row.value_or(total_rows);
  if (end > total_rows)
    throw ParamError("end_row", "is " + std::to_string(end) + " but " + file.string() + " has " +
                                    std::to_string(total_rows) + " detector rows");
  if (selection.start_row >= end)
    throw ParamError("start_row", "is " + std::to_string(selection.start_row) + ", expected less than " +
                                      std::to_string(end) + " (end_row, or the rows of " + file.string() + ")");
  return {selection.start_row, end};
}

PlainInputResult finish_projections(const std::filesystem::path& file, PlainStack stack,
                                    const PlainInputOptions& options) {
  const std::size_t cols = stack.data.extent(2);
  const std::optional<double>& center = options.axis.center;
  if (center && *center > double(cols - 1))
    throw ParamError("center", "is " + std::to_string(*center) + ", outside the columns 0.." +
                                   std::to_string(cols - 1) + " of " + file.string());
  PlainInputResult result;
  result.angles = projection_angles(options.angles, stack.data.extent(0), file);

  const tomo::TransmissionCheck check = tomo::check_transmission(stack.data);
  if (options.minus_log) {
    if (!check.looks_like_transmission())
      throw ParamError("minus_log", "is true, but " + file.string() + " is not a transmission: " + check.describe() +
                                        ". Already line integrals? set minus_log: false");
    tomo::minus_log(stack.data);
  } else if (check.above_share == 0 && check.non_positive_share == 0) {
    // A sinogram is zero outside the object; values all in (0, 1.5] are what a transmission looks like.
    result.warnings.push_back(file.string() + ": every value lies in (0, " +
                              number_text(tomo::kMaxTransmissionValue, "%.1f") +
                              "], as in a transmission; if it is one, set minus_log: true to get line integrals");
  } else if (stack.integers) {
    // Line integrals are fractions; whole numbers from a detector are counts, which need their flat
    // and dark fields before anything else.
    result.warnings.push_back(file.string() + ": holds integers (" + stack.layout +
                              "), read as line integrals; raw detector counts need flat and dark fields first "
                              "(io.dxchange normalises a Data Exchange file)");
  }

  auto projections = std::make_shared<Projections>();
  projections->data = std::move(stack.data);
  projections->angles = result.angles.radians;
  projections->center = center.value_or(-1.0);
  projections->convention = options.axis.convention;
  result.projections = std::move(projections);
  result.total_rows = stack.total_rows;
  result.first_row = stack.first_row;
  result.layout = std::move(stack.layout);
  return result;
}

std::string describe(const std::filesystem::path& file, const PlainInputResult& result, bool minus_log) {
  const Projections& p = *result.projections;
  std::string text = projections_read(file, p, result.first_row, result.total_rows) + " (" + result.layout + "); " +
                     theta_read(p, result.angles.origin, result.angles.in_degrees, result.angles.units_source);
  if (minus_log) text += "; -log applied";
  return text;
}

}  // namespace xrecon::io
