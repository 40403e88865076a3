// prior.tv: the TV proximal operator as a Prior (joint ADMM's phi-step), lambda = strength x the
// configured lambda; prior.tv_denoise: the same on every incoming volume as a stage. The work
// runs where the volume lives (host or the GPU its array is on).
#include <memory>

#include <xrecon/roles.hpp>
#include <xrecon/stage.hpp>
#include <xrecon/tv/tv.hpp>

#include "tv_specs.hpp"

namespace xrecon::prior_plugin {
namespace {

tv::ProxOptions tv_options(const ParamValues& values) {
  return {.lambda = values.real("lambda"),
          .coupling = values.string("coupling") == "volume" ? tv::Coupling::volume : tv::Coupling::slices,
          .iterations = std::size_t(values.integer("iterations"))};
}

void add_tv_params(ParamSchema& params) {
  params.real("lambda", 0.05, "weight of TV(z) against 0.5 ||z - v||^2, in the units of the image", 0.0);
  params.choice("coupling", "slices", {"slices", "volume"}, "slices: 2-D TV per slice; volume: 3-D TV");
  params.integer("iterations", 100, "Chambolle projection iterations", 1, 100000);
}

class TvPrior final : public Prior {
 public:
  explicit TvPrior(tv::ProxOptions options) : options_(options) {}
  void apply(Volume& x, double strength, Context&) override {
    XRECON_CHECK(strength >= 0, "prior.tv: the strength must be >= 0, got " + std::to_string(strength));
    tv::ProxOptions options = options_;
    options.lambda *= strength;
    if (options.lambda == 0) return;
    tv::prox(x.data, x.data, options);
  }

  // 3-D TV couples neighbouring slices: each Chambolle iteration carries information one slice
  // further, and a slab's artificial end (zero difference across it) reaches one slice further
  // in too, so slices more than iterations + 1 from a cut see exactly what the whole volume gives.
  std::size_t halo_slices() const override {
    return options_.coupling == tv::Coupling::volume ? options_.iterations + 2 : 0;
  }

 private:
  tv::ProxOptions options_;
};

class TvDenoiseStage final : public Stage {
 public:
  explicit TvDenoiseStage(tv::ProxOptions options) : options_(options) {}
  void run(StageIO& io, Context& context) override {
    std::size_t count = 0;
    while (auto volume = io.receive_as<Volume>("volume")) {
      auto out = std::make_shared<Volume>(*volume);
      out->data = tv::prox(volume->data, options_);
      out->description = volume->description + ", TV denoised (lambda " + std::to_string(options_.lambda) + ")";
      context.logger().info("prior.tv_denoise: " + volume->data.shape().to_string() + ", TV " +
                            std::to_string(tv::total_variation(volume->data, options_.coupling)) + " -> " +
                            std::to_string(tv::total_variation(out->data, options_.coupling)));
      io.send("volume", out);
      ++count;
    }
    if (count == 0) throw InputError("input 'volume' received no data");
  }

 private:
  tv::ProxOptions options_;
};

}  // namespace

ComponentSpec tv_prior_spec() {
  ComponentSpec spec;
  spec.name = "prior.tv";
  spec.kind = ComponentKind::prior;
  spec.summary = "Total-variation proximal operator (Chambolle's projection) as a Prior: lambda = strength x lambda";
  add_tv_params(spec.params);
  spec.create = [](const ParamValues& v) -> std::unique_ptr<Component> { return std::make_unique<TvPrior>(tv_options(v)); };
  return spec;
}

ComponentSpec tv_denoise_spec() {
  ComponentSpec spec;
  spec.name = "prior.tv_denoise";
  spec.summary = "Total-variation denoising (prox of lambda TV, Chambolle's projection) of every incoming volume";
  add_tv_params(spec.params);
  spec.inputs = {{"volume", PayloadKind::volume, "images to denoise (slices, rows, cols), one or a stream", false, PortFlow::stream}};
  spec.outputs = {{"volume", PayloadKind::volume, "the denoised images, same shape and sequence", false, PortFlow::as_inputs}};
  spec.create = [](const ParamValues& v) -> std::unique_ptr<Component> {
    return std::make_unique<TvDenoiseStage>(tv_options(v));
  };
  return spec;
}

}  // namespace xrecon::prior_plugin
