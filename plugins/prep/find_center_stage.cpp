// prep.find_center: estimates the rotation axis and passes the projections on with it set.
#include <cstdio>
#include <memory>

#include <xrecon/stage.hpp>
#include <xrecon/tomo/preprocess.hpp>

#include "stages.hpp"

namespace xrecon::prep_plugin {
namespace {

class FindCenterStage final : public Stage {
 public:
  FindCenterStage(std::size_t rows, double max_offset) : rows_(rows), max_offset_(max_offset) {}

  void run(StageIO& io, Context& context) override {
    while (auto in = io.receive_as<Projections>("projections")) {
      if (!in->normalized())
        throw InputError("prep.find_center needs line integrals; put prep.normalize before it");
      const tomo::CenterEstimate found = tomo::find_center_by_correlation(in->data, in->angles, rows_, max_offset_);
      auto out = std::make_shared<Projections>(*in);
      out->center = found.center;
      char line[200];
      std::snprintf(line, sizeof line,
                    "prep.find_center: rotation axis at column %.2f (detector middle %.1f), from projections %zu "
                    "and %zu (%.2f degrees from opposite)",
                    found.center, (double(in->num_cols()) - 1) / 2, found.first, found.second,
                    found.angle_error * 180.0 / 3.141592653589793);
      context.logger().info(line);
      io.send("projections", out);
    }
  }

 private:
  std::size_t rows_;
  double max_offset_;
};

}  // namespace

ComponentSpec find_center_spec() {
  ComponentSpec spec;
  spec.name = "prep.find_center";
  spec.summary = "Finds the rotation axis from two opposite projections (mirrored cross-correlation)";
  spec.params.integer("rows", 32, "detector rows compared (evenly spaced)", 1, 1e6)
      .real("max_offset", std::nullopt, "largest |axis - detector middle| searched, in pixels (default: cols/4)", 0,
            1e6, "pixels");
  spec.inputs = {{"projections", PayloadKind::projections, "line integrals, one or a stream", false, PortFlow::stream}};
  spec.outputs = {{"projections", PayloadKind::projections, "the same, with `center` set", false, PortFlow::as_inputs}};
  spec.create = [](const ParamValues& p) {
    return std::make_unique<FindCenterStage>(std::size_t(p.integer("rows")), p.optional_real("max_offset").value_or(-1));
  };
  return spec;
}

}  // namespace xrecon::prep_plugin
