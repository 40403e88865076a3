// io.dxchange: reads tomography projections from a Data Exchange HDF5 file.
#include <xrecon/stage.hpp>

#include "dxchange_reader.hpp"
#include "read_summary.hpp"
#include "stages.hpp"

namespace xrecon::io {
namespace {

std::string describe(const std::filesystem::path& path, const DxchangeResult& result, const DxchangeOptions& options) {
  const Projections& p = *result.projections;
  std::string text = projections_read(path, p, options.start_row, result.total_rows) + "; " +
                     theta_read(p, "/exchange/theta", result.theta_in_degrees, result.theta_units_source);
  if (options.normalize)
    text += "; normalised by " + std::to_string(result.flat_count) + " flat and " +
            std::to_string(result.dark_count) + " dark frames";
  if (options.minus_log) text += "; -log applied";
  return text;
}

class DxchangeStage final : public Stage {
 public:
  DxchangeStage(std::filesystem::path path, DxchangeOptions options)
      : path_(std::move(path)), options_(std::move(options)) {}

  void run(StageIO& io, Context& context) override {
    context.cancellation().throw_if_cancelled();
    DxchangeResult result = read_dxchange(path_, options_);
    for (const std::string& warning : result.warnings) context.logger().warn("io.dxchange: " + warning);
    context.logger().info("io.dxchange: " + describe(path_, result, options_));
    io.send("projections", std::move(result.projections));
  }

 private:
  std::filesystem::path path_;
  DxchangeOptions options_;
};

ThetaUnits parse_theta_units(const std::string& choice) {
  if (choice == "degrees") return ThetaUnits::degrees;
  if (choice == "radians") return ThetaUnits::radians;
  return ThetaUnits::from_file;
}

}  // namespace

ComponentSpec dxchange_spec() {
  ComponentSpec spec;
  spec.name = "io.dxchange";
  spec.summary = "Reads projections from a Data Exchange HDF5 file (/exchange/data, data_white, data_dark, theta)";
  spec.params.input_file("path", "the HDF5 file in Data Exchange layout")
      .boolean("normalize", true,
               "divide by the mean flat field after subtracting the mean dark field; with normalize and "
               "minus_log false the raw counts carry the flat and dark fields on to prep.normalize")
      .boolean("minus_log", true, "take -log of the transmission to get line integrals")
      .integer("start_row", 0, "first detector row to read", 0)
      .integer("end_row", std::nullopt, "detector row after the last one to read; all rows when absent", 1)
      .choice("theta_units", "auto", {"auto", "degrees", "radians"},
              "units of /exchange/theta: auto reads its units attribute and assumes degrees without one");
  add_axis_params(spec.params);
  spec.outputs = {{"projections", PayloadKind::projections, "the projections, angles in radians"}};
  spec.check = [](const ParamValues& p) {
    if (p.has("end_row") && p.has("start_row") && p.integer("start_row") >= p.integer("end_row"))
      throw ParamError("end_row", "is " + std::to_string(p.integer("end_row")) + ", expected more than start_row (" +
                                      std::to_string(p.integer("start_row")) + ")");
  };
  spec.create = [](const ParamValues& p) -> std::unique_ptr<Component> {
    DxchangeOptions options;
    options.normalize = p.boolean("normalize");
    options.minus_log = p.boolean("minus_log");
    options.start_row = std::size_t(p.integer("start_row"));
    if (p.has("end_row")) options.end_row = std::size_t(p.integer("end_row"));
    options.axis = axis_options(p);
    options.theta_units = parse_theta_units(p.string("theta_units"));
    return std::make_unique<DxchangeStage>(p.string("path"), options);
  };
  return spec;
}

}  // namespace xrecon::io
