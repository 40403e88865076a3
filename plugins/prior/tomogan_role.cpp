// prior.tomogan: the learned denoiser as a Prior, for hosts such as the joint ADMM loop that ask
// the context for make<Prior>("prior.tomogan", ...). The network is loaded on the first call,
// when the run's devices are known, and kept for the following ones.
#include <algorithm>
#include <cmath>
#include <memory>

#include <xrecon/roles.hpp>

#include "tomogan_settings.hpp"
#include "tomogan_specs.hpp"

namespace xrecon::prior_plugin {
namespace {

class TomoganPrior final : public Prior {
 public:
  explicit TomoganPrior(TomoganSettings settings) : settings_(std::move(settings)) {}

  // x <- (1 - s) x + s D(x) with s = min(1, strength * the configured strength), so a host
  // passing 1 gets the strength of the pipeline file, 0 is the identity, and a host that scales
  // the strength up (ADMM as its penalty falls) saturates at the network's output.
  void apply(Volume& x, double strength, Context& context) override {
    XRECON_CHECK(std::isfinite(strength) && strength >= 0,
                 "prior.tomogan: the strength must be finite and >= 0, got " + std::to_string(strength));
    const double s = std::min(1.0, strength * settings_.strength);
    if (s == 0) return;
    if (!enhancer_) enhancer_ = make_enhancer(settings_, context);
    const MemorySpace space = x.data.space();
    const ArrayF host = space.is_host() ? x.data : x.data.to(MemorySpace::host());
    ArrayF z = blend_enhanced(*enhancer_, host, s);
    x.data = space.is_host() ? std::move(z) : z.to(space);
  }

  // A 3-channel network sees slices z - 1 and z + 1 (network.hpp, enhance_stack).
  std::size_t halo_slices() const override { return 1; }

  void prepare(const Shape& volume, Context& context) override {
    if (!enhancer_) enhancer_ = make_enhancer(settings_, context);
    const prior::Model& model = enhancer_->model();
    XRECON_CHECK(model.input_channels == 1 || model.input_channels == 3,
                 "prior.tomogan: the model " + settings_.model.string() + " takes " +
                     std::to_string(model.input_channels) +
                     " input channels; a prior of slices needs 1 (one slice) or 3 (slices z-1, z, z+1)");
    XRECON_CHECK(volume.rank() == 3, "prior.tomogan: volumes are (slices, rows, cols), got " + volume.to_string());
    const std::size_t multiple = std::size_t(std::max(1, model.size_multiple));
    XRECON_CHECK(volume[1] % multiple == 0 && volume[2] % multiple == 0,
                 "prior.tomogan: the model " + settings_.model.string() + " needs images whose sides are multiples of " +
                     std::to_string(multiple) + ", but the slices are " + std::to_string(volume[1]) + " x " +
                     std::to_string(volume[2]) + " (choose the reconstruction's size accordingly)");
  }

 private:
  TomoganSettings settings_;
  std::unique_ptr<prior::Enhancer> enhancer_;
};

}  // namespace

ComponentSpec tomogan_prior_spec() {
  ComponentSpec spec;
  spec.name = "prior.tomogan";
  spec.kind = ComponentKind::prior;
  spec.summary = "TomoGAN (or any model file's network) as a Prior: z = (1 - s) v + s D(v), s = strength x the "
                 "host's strength";
  add_tomogan_params(spec.params);
  spec.create = [](const ParamValues& values) -> std::unique_ptr<Component> {
    return std::make_unique<TomoganPrior>(tomogan_settings(values));
  };
  return spec;
}

}  // namespace xrecon::prior_plugin
