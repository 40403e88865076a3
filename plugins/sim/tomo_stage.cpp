// sim.tomo: parallel-beam projections of a volume, optionally with photon-counting noise.
#include <numbers>
#include <optional>

#include <xrecon/axis_params.hpp>
#include <xrecon/sim/noise.hpp>
#include <xrecon/stage.hpp>
#include <xrecon/tomo/projector.hpp>

#include "number_text.hpp"
#include "stages.hpp"
#include "volume_checks.hpp"

namespace xrecon::sim {
namespace {

struct TomoOptions {
  std::size_t angles = 0;
  double arc_degrees = 0;
  std::optional<std::size_t> cols;
  AxisOptions axis;  // where the rotation axis is, and in which convention
  bool poisson = false;
  PoissonNoise noise;
};

class TomoStage final : public Stage {
 public:
  explicit TomoStage(TomoOptions options) : options_(std::move(options)) {}

  void run(StageIO& io, Context& context) override {
    auto truth = io.require<Volume>("volume");
    const ArrayF& volume = truth->data;
    require_square_slices(volume, "sim.tomo");
    context.cancellation().throw_if_cancelled();

    tomo::Geometry geometry;
    geometry.n = volume.extent(2);
    geometry.cols = options_.cols.value_or(geometry.n);
    geometry.center = options_.axis.center.value_or(-1.0);
    geometry.convention = options_.axis.convention;
    // Evenly spaced over the arc without repeating its end: 180 angles over 180 degrees stop at 179.
    const double step = options_.arc_degrees * std::numbers::pi / 180.0 / double(options_.angles);
    for (std::size_t k = 0; k < options_.angles; ++k) geometry.angles.push_back(double(k) * step);

    auto projections = std::make_shared<Projections>();
    projections->data = tomo::project(volume, geometry);
    projections->angles = geometry.angles;
    projections->center = geometry.center_or_default();
    projections->convention = geometry.convention;
    projections->pixel_size = truth->voxel_size;
    context.logger().info("sim.tomo: projected " + volume.shape().to_string() + " to " +
                          projections->data.shape().to_string() + " over " + number_text(options_.arc_degrees) +
                          " degrees" + noise_summary(projections->data));
    if (options_.poisson) {
      context.cancellation().throw_if_cancelled();
      projections->data = add_poisson_noise(projections->data, options_.noise);
    }
    io.send("projections", projections);
    io.send("truth", truth);
  }

 private:
  std::string noise_summary(const ArrayF& clean) const {
    if (!options_.poisson) return "";
    const double k = attenuation_scale(clean, options_.noise.max_attenuation);
    return "; Poisson noise at " + number_text(options_.noise.photons) + " photons per pixel, k = " + number_text(k) +
           " per pixel unit";
  }

  TomoOptions options_;
};

}  // namespace

ComponentSpec tomo_spec() {
  ComponentSpec spec;
  spec.name = "sim.tomo";
  spec.summary = "Projects a volume in parallel beam (Joseph projector), optionally with Poisson noise";
  spec.params.integer("angles", 180, "number of projection angles, evenly spaced over the arc", 1, 100000)
      .real("arc", 180.0, "the angles are k * arc / angles for k = 0 .. angles - 1", 0.001, 360.0, "deg")
      .integer("cols", std::nullopt, "detector columns; the slice width when absent", 1, 65536)
      .choice("noise", "none", {"none", "poisson"}, "poisson: photon counts ~ Poisson(photons * exp(-k p))")
      .real("photons", 1e4, "poisson: incident photons per detector pixel", 1e-3, 1e15)
      .real("max_attenuation", 2.0,
            "poisson: k is chosen so that the largest line integral attenuates the beam by exp(-max_attenuation)",
            1e-3, 50.0)
      .integer("seed", 1, "poisson: random seed; the same seed gives the same noise", 0);
  add_axis_params(spec.params, CentreConvention::astra);
  spec.inputs = {{"volume", PayloadKind::volume, "the object (z, n, n), attenuation per pixel"}};
  spec.outputs = {{"projections", PayloadKind::projections, "line integrals (angles, z, cols) in pixel units"},
                  {"truth", PayloadKind::volume, "the input volume, passed on for comparison with a reconstruction"}};
  spec.check = [](const ParamValues& p) {
    if (p.has("center") && p.has("cols") && p.real("center") > double(p.integer("cols") - 1))
      throw ParamError("center", "is " + number_text(p.real("center")) + ", beyond the last detector column (" +
                                     std::to_string(p.integer("cols") - 1) + ")");
  };
  spec.create = [](const ParamValues& p) -> std::unique_ptr<Component> {
    TomoOptions options;
    options.angles = std::size_t(p.integer("angles"));
    options.arc_degrees = p.real("arc");
    if (p.has("cols")) options.cols = std::size_t(p.integer("cols"));
    options.axis = axis_options(p);
    options.poisson = p.string("noise") == "poisson";
    options.noise.photons = p.real("photons");
    options.noise.max_attenuation = p.real("max_attenuation");
    options.noise.seed = std::uint64_t(p.integer("seed"));
    return std::make_unique<TomoStage>(std::move(options));
  };
  return spec;
}

}  // namespace xrecon::sim
