#include "dxchange_reader.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numbers>
#include <string_view>

#include <xrecon/component.hpp>
#include <xrecon/error.hpp>
#include <xrecon/tomo/preprocess.hpp>

#include "hdf5_file.hpp"

namespace xrecon::io {
namespace {

constexpr std::string_view kDataPath = "/exchange/data";
constexpr std::string_view kWhitePath = "/exchange/data_white";
constexpr std::string_view kDarkPath = "/exchange/data_dark";
constexpr std::string_view kThetaPath = "/exchange/theta";

struct RowRange {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::size_t count() const { return end - begin; }
};

std::string rank_text(std::size_t rank) { return std::to_string(rank) + "-D"; }

RowRange select_rows(const DxchangeOptions& options, std::size_t total_rows, const std::filesystem::path& file) {
  const std::size_t end = options.end_row.value_or(total_rows);
  if (end > total_rows)
    throw ParamError("end_row", "is " + std::to_string(end) + " but " + std::string(kDataPath) + " in " +
                                    file.string() + " has " + std::to_string(total_rows) + " rows");
  if (options.start_row >= end)
    throw ParamError("start_row", "is " + std::to_string(options.start_row) + ", expected less than end_row (" +
                                      std::to_string(end) + ")");
  return {options.start_row, end};
}

// Names the first NaN or infinity by its index in the file, so the user can find the frame.
void require_finite(std::span<const float> values, const Hdf5Dataset& dataset, std::size_t rows, std::size_t cols,
                    std::size_t first_row) {
  const auto bad = std::find_if(values.begin(), values.end(), [](float v) { return !std::isfinite(v); });
  if (bad == values.end()) return;
  const std::size_t index = std::size_t(bad - values.begin());
  const std::size_t frame = index / (rows * cols);
  const std::size_t row = first_row + index / cols % rows;
  const std::size_t col = index % cols;
  dataset.fail("has a non-finite value (" + std::to_string(*bad) + ") at [" + std::to_string(frame) + ", " +
               std::to_string(row) + ", " + std::to_string(col) + "]");
}

// Mean of the flat (or dark) frames over the selected rows, one value per pixel. Accepted layouts:
// (frames, rows, cols); (rows, cols), a single frame; and, next to a sinogram (data of one
// detector row), (frames, cols) and (cols).
ArrayF mean_frame(const Hdf5File& file, std::string_view path, std::size_t total_rows, std::size_t cols,
                  RowRange rows, bool sinogram, std::size_t& frame_count) {
  const Hdf5Dataset frames = file.open_dataset(path);
  frames.require_numeric();
  const std::vector<std::size_t> extents = frames.extents();
  // Which of (frames, rows, cols) the dataset has.
  bool has_frames = true, has_rows = true;
  if (extents.size() == 3) {
  } else if (extents.size() == 2 && !sinogram) {
    has_frames = false;
  } else if (extents.size() == 2 && sinogram) {
    has_rows = false;
  } else if (extents.size() == 1 && sinogram) {
    has_frames = has_rows = false;
  } else {
    frames.fail(sinogram ? "must be (frames, cols), (cols) or (frames, 1, cols) next to a sinogram, found " +
                               rank_text(extents.size())
                         : "must be 3-D (frames, rows, cols) or 2-D (rows, cols), found " + rank_text(extents.size()));
  }
  frame_count = has_frames ? extents[0] : 1;
  const std::size_t frame_rows = has_rows ? extents[extents.size() - 2] : 1;
  const std::size_t frame_cols = extents.back();
  if (frame_rows != total_rows || frame_cols != cols)
    frames.fail("has frames of " + std::to_string(frame_rows) + " x " + std::to_string(frame_cols) +
                " pixels, expected " + std::to_string(total_rows) + " x " + std::to_string(cols) + " like " +
                std::string(kDataPath));
  if (frame_count == 0) frames.fail("holds no frames");

  ArrayF block({frame_count, rows.count(), cols});
  std::vector<std::size_t> start, count;
  if (has_frames) start.push_back(0), count.push_back(frame_count);
  if (has_rows) start.push_back(rows.begin), count.push_back(rows.count());
  start.push_back(0), count.push_back(cols);
  frames.read_block<float>(start, count, block.host_span());
  require_finite(block.host_span(), frames, rows.count(), cols, rows.begin);

  return tomo::mean_frame(block);
}

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return text;
}

// True when theta is in degrees, from the option or the `units` attribute stored with theta.
bool theta_in_degrees(const Hdf5Dataset& theta, const std::optional<std::string>& stored, ThetaUnits requested) {
  std::optional<bool> stored_degrees;
  if (stored) {
    const std::string units = lowercase(*stored);
    if (units == "deg" || units == "degree" || units == "degrees") stored_degrees = true;
    else if (units == "rad" || units == "radian" || units == "radians") stored_degrees = false;
    else theta.fail("has units '" + *stored + "', expected 'deg', 'degrees', 'rad' or 'radians'");
  }
  if (requested == ThetaUnits::from_file) return stored_degrees.value_or(true);
  const bool requested_degrees = requested == ThetaUnits::degrees;
  if (stored_degrees && *stored_degrees != requested_degrees)
    throw ParamError("theta_units", std::string("is ") + (requested_degrees ? "degrees" : "radians") + " but " +
                                        std::string(kThetaPath) + " says units='" + *stored + "'");
  return requested_degrees;
}

std::vector<double> read_theta(const Hdf5File& file, std::size_t angle_count, const DxchangeOptions& options,
                               DxchangeResult& result) {
  const Hdf5Dataset theta = file.open_dataset(kThetaPath);
  theta.require_numeric();
  const std::size_t count = theta.element_count();
  if (count != angle_count)
    theta.fail("has " + std::to_string(count) + " values, expected " + std::to_string(angle_count) +
               " (one per projection)");
  std::vector<double> angles(count);
  theta.read<double>(angles);
  for (std::size_t i = 0; i < count; ++i)
    if (!std::isfinite(angles[i]))
      theta.fail("has a non-finite value (" + std::to_string(angles[i]) + ") at [" + std::to_string(i) + "]");

  const std::optional<std::string> stored_units = theta.string_attribute("units");
  result.theta_in_degrees = theta_in_degrees(theta, stored_units, options.theta_units);
  const bool assumed = options.theta_units == ThetaUnits::from_file && !stored_units;
  if (options.theta_units != ThetaUnits::from_file)
    result.theta_units_source = std::string("theta_units: ") + (result.theta_in_degrees ? "degrees" : "radians");
  else if (stored_units)
    result.theta_units_source = "its units attribute '" + *stored_units + "'";
  else
    result.theta_units_source = "assumed: it has no units attribute";
  const auto [low, high] = std::minmax_element(angles.begin(), angles.end());
  const double span = *high - *low;
  // A scan over a few degrees is rare; radians stored without a units attribute are not.
  if (assumed && count > 2 && span > 0 && span <= 2 * std::numbers::pi + 1e-6)
    result.warnings.push_back(file.reported_path().string() + ": " + std::string(kThetaPath) +
                              " has no units attribute, so it is read as degrees, but it spans only " +
                              std::to_string(span) + "; if it holds radians set theta_units: radians");
  if (result.theta_in_degrees)
    for (double& a : angles) a *= std::numbers::pi / 180.0;
  return angles;
}

}  // namespace

DxchangeResult read_dxchange(const std::filesystem::path& path, const DxchangeOptions& options) {
  const Hdf5File file = Hdf5File::open_read_only(path);
  const Hdf5Dataset data = file.open_dataset(kDataPath);
  data.require_numeric();
  const std::vector<std::size_t> extents = data.extents();
  if (extents.size() != 3 && extents.size() != 2)
    data.fail("must be 3-D (angles, rows, cols) or 2-D (angles, cols), a sinogram, found " +
              rank_text(extents.size()));
  // A 2-D dataset is one detector row: a sinogram, as TomoPy users often store a slice.
  const bool sinogram = extents.size() == 2;
  const std::size_t angles = extents[0];
  const std::size_t total_rows = sinogram ? 1 : extents[1];
  const std::size_t cols = extents.back();
  if (angles == 0 || total_rows == 0 || cols == 0)
    data.fail("is empty (" + std::to_string(angles) + " x " + std::to_string(total_rows) + " x " +
              std::to_string(cols) + ")");

  const RowRange rows = select_rows(options, total_rows, path);
  const std::optional<double>& center = options.axis.center;
  if (center && (*center < 0 || *center > double(cols - 1)))
    throw ParamError("center", "is " + std::to_string(*center) + ", outside the columns 0.." +
                                   std::to_string(cols - 1) + " of " + std::string(kDataPath) + " in " + path.string());

  DxchangeResult result;
  result.total_rows = total_rows;
  ArrayF white, dark;
  // Raw counts keep their flat and dark fields, for a normalisation stage later in the pipeline.
  const bool keep_raw = !options.normalize && !options.minus_log && file.has_dataset(kWhitePath) &&
                        file.has_dataset(kDarkPath);
  if (options.normalize) {
    for (std::string_view needed : {kWhitePath, kDarkPath})
      if (!file.has_dataset(needed))
        throw_file_error(Hdf5Access::read, path,
                         "missing dataset " + std::string(needed) +
                             ", needed to normalise the projections; set normalize: false if " +
                             std::string(kDataPath) + " is already normalised");
  }
  if (options.normalize || keep_raw) {
    white = mean_frame(file, kWhitePath, total_rows, cols, rows, sinogram, result.flat_count);
    dark = mean_frame(file, kDarkPath, total_rows, cols, rows, sinogram, result.dark_count);
  }
  std::vector<double> theta = read_theta(file, angles, options, result);

  ArrayF values({angles, rows.count(), cols});
  if (sinogram) {
    const std::size_t start[] = {0, 0};
    const std::size_t count[] = {angles, cols};
    data.read_block<float>(start, count, values.host_span());
  } else {
    const std::size_t start[] = {0, rows.begin, 0};
    const std::size_t count[] = {angles, rows.count(), cols};
    data.read_block<float>(start, count, values.host_span());
  }
  require_finite(values.host_span(), data, rows.count(), cols, rows.begin);
  if (options.normalize) tomo::normalize_flat_dark(values, white, dark);
  if (options.minus_log) {
    if (const tomo::TransmissionCheck check = tomo::check_transmission(values); !check.looks_like_transmission())
      throw ParamError("minus_log", "is true, but " + std::string(kDataPath) + " in " + path.string() +
                                        (options.normalize ? ", normalised," : "") +
                                        " is not a transmission: " + check.describe() +
                                        ". Already line integrals? set minus_log: false" +
                                        (options.normalize ? "" : ". Raw counts? set normalize: true"));
    tomo::minus_log(values);
  }

  auto projections = std::make_shared<Projections>();
  projections->data = std::move(values);
  projections->angles = std::move(theta);
  projections->center = center.value_or(-1.0);
  projections->convention = options.axis.convention;
  if (keep_raw) {
    projections->flats = std::move(white);
    projections->darks = std::move(dark);
  }
  result.projections = std::move(projections);
  return result;
}

}  // namespace xrecon::io
