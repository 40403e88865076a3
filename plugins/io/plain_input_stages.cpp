// io.npy and io.tiff: projections from the files TomoPy and ASTRA users have, a NumPy array or a
// TIFF stack, with the angles they lack from a text file or a range.
#include <functional>
#include <xrecon/stage.hpp>

#include "npy_reader.hpp"
#include "plain_projections.hpp"
#include "stages.hpp"
#include "tiff_stack.hpp"

namespace xrecon::io {
namespace {

using ReadStack = std::function<PlainStack(const std::filesystem::path&, const RowSelection&)>;

class PlainInputStage final : public Stage {
 public:
  PlainInputStage(std::string name, std::filesystem::path path, PlainInputOptions options, ReadStack read)
      : name_(std::move(name)), path_(std::move(path)), options_(std::move(options)), read_(std::move(read)) {}

  void run(StageIO& io, Context& context) override {
    context.cancellation().throw_if_cancelled();
    PlainInputResult result = finish_projections(path_, read_(path_, options_.rows), options_);
    for (const std::string& warning : result.warnings) context.logger().warn(name_ + ": " + warning);
    context.logger().info(name_ + ": " + describe(path_, result, options_.minus_log));
    io.send("projections", std::move(result.projections));
  }

 private:
  std::string name_;
  std::filesystem::path path_;
  PlainInputOptions options_;
  ReadStack read_;
};

// The parameters both stages share after `path`: rows, angles, axis, -log.
void add_projection_params(ParamSchema& params) {
  params.integer("start_row", 0, "first detector row to read", 0)
      .integer("end_row", std::nullopt, "detector row after the last one to read; all rows when absent", 1)
      .string("theta_file", std::nullopt,
              "text file of the projection angles, one or more a line (blanks or commas between, # comments); "
              "when given, theta_start and theta_end are not used")
      .real("theta_start", 0.0, "angle of the first projection when there is no theta_file (tomopy.angles' default)")
      .real("theta_end", 180.0,
            "angle of the last projection, included (numpy.linspace(theta_start, theta_end, n), as tomopy.angles)")
      .choice("theta_units", "auto", {"auto", "degrees", "radians"},
              "auto: theta_start/theta_end in degrees (as tomopy.angles); a theta_file in radians when every value "
              "is within 2 pi, else degrees; the log says which")
      .boolean("minus_log", false,
               "take -log of a transmission; false for line integrals (a sinogram from TomoPy, ASTRA or "
               "skimage.transform.radon)");
  add_axis_params(params);
}

void check_projection_params(const ParamValues& p) {
  if (p.has("end_row") && p.integer("start_row") >= p.integer("end_row"))
    throw ParamError("end_row", "is " + std::to_string(p.integer("end_row")) + ", expected more than start_row (" +
                                    std::to_string(p.integer("start_row")) + ")");
  if (!p.has("theta_file") && p.real("theta_start") == p.real("theta_end"))
    throw ParamError("theta_end", "equals theta_start (" + std::to_string(p.real("theta_start")) +
                                      "): every projection would have the same angle");
  if (p.has("theta_file")) {
    std::error_code ignored;
    if (!std::filesystem::exists(p.string("theta_file"), ignored))
      throw ParamError("theta_file", "input file '" + p.string("theta_file") + "' does not exist");
  }
}

PlainInputOptions projection_options(const ParamValues& p) {
  PlainInputOptions options;
  options.rows.start_row = std::size_t(p.integer("start_row"));
  if (p.has("end_row")) options.rows.end_row = std::size_t(p.integer("end_row"));
  if (p.has("theta_file")) options.angles.file = p.string("theta_file");
  options.angles.start = p.real("theta_start");
  options.angles.end = p.real("theta_end");
  const std::string& units = p.string("theta_units");
  options.angles.units = units == "degrees"   ? AngleUnits::degrees
                         : units == "radians" ? AngleUnits::radians
                                              : AngleUnits::automatic;
  options.axis = axis_options(p);
  options.minus_log = p.boolean("minus_log");
  return options;
}

ComponentSpec plain_input_spec(std::string name, std::string summary) {
  ComponentSpec spec;
  spec.name = std::move(name);
  spec.summary = std::move(summary);
  spec.outputs = {{"projections", PayloadKind::projections, "the projections, angles in radians"}};
  return spec;
}

}  // namespace

ComponentSpec npy_spec() {
  ComponentSpec spec = plain_input_spec(
      "io.npy", "Reads projections from a NumPy .npy file: 2-D (angles, cols) one sinogram, 3-D (angles, rows, cols) or "
      "(rows, angles, cols)");
  spec.params.input_file("path", "the .npy file (np.save; C or Fortran order; float32/64, (u)int8/16/32)")
      .choice("axes", "angles_rows_cols", {"angles_rows_cols", "rows_angles_cols"},
              "what the axes of a 3-D array are: angles_rows_cols (TomoPy's projections) or rows_angles_cols "
              "(ASTRA's 3-D parallel-beam data, e.g. from astra.create_sino3d_gpu); a 2-D array is (angles, cols)");
  add_projection_params(spec.params);
  spec.check = check_projection_params;
  spec.create = [](const ParamValues& p) -> std::unique_ptr<Component> {
    const NpyAxes axes =
        p.string("axes") == "rows_angles_cols" ? NpyAxes::rows_angles_cols : NpyAxes::angles_rows_cols;
    return std::make_unique<PlainInputStage>(
        "io.npy", p.string("path"), projection_options(p),
        [axes](const std::filesystem::path& path, const RowSelection& rows) { return read_npy(path, rows, axes); });
  };
  return spec;
}

ComponentSpec tiff_spec() {
  ComponentSpec spec =
      plain_input_spec("io.tiff", "Reads projections from a multi-page TIFF or a folder of single-page TIFFs");
  spec.params.input_file("path", "a multi-page TIFF (a page per projection), or a folder of single-page TIFFs")
      .string("pattern", std::nullopt,
              "which files of the folder (fnmatch wildcards, e.g. proj_*.tif), taken in name order with numbers "
              "compared as numbers; all .tif and .tiff files when absent");
  add_projection_params(spec.params);
  spec.check = check_projection_params;
  spec.create = [](const ParamValues& p) -> std::unique_ptr<Component> {
    const std::string pattern = p.has("pattern") ? p.string("pattern") : std::string();
    return std::make_unique<PlainInputStage>("io.tiff", p.string("path"), projection_options(p),
                                             [pattern](const std::filesystem::path& path, const RowSelection& rows) {
                                               return read_tiff_stack(path, pattern, rows);
                                             });
  };
  return spec;
}

}  // namespace xrecon::io
