// prior.tomogan: the learned denoiser as a Prior, for hosts such as the joint ADMM loop that ask
// the context for make<Prior>("prior.tomogan", ...). The network is loaded on the first call,
// when the run's devices are known, and kept for the following ones.
#include <memory>

#include <xrecon/roles.hpp>

#include "tomogan_settings.hpp"
#include "tomogan_specs.hpp"

namespace xrecon::prior_plugin {
namespace {

class TomoganPrior final : public Prior {
 public:
  explicit TomoganPrior(TomoganSettings settings) : settings_(std::move(settings)) {}

  // x <- (1 - s) x + s D(x) with s = strength * the configured strength, so a host passing 1
  // gets the strength of the pipeline file, and 0 is the identity.
  void apply(Volume& x, double strength, Context& context) override {
    XRECON_CHECK(strength >= 0 && strength <= 1, "prior.tomogan: the strength must be in [0, 1], got " +
                                                     std::to_string(strength));
    const double s = strength * settings_.strength;
    if (s == 0) return;
    if (!enhancer_) enhancer_ = make_enhancer(settings_, context);
    const MemorySpace space = x.data.space();
    const ArrayF host = space.is_host() ? x.data : x.data.to(MemorySpace::host());
    ArrayF z = blend_enhanced(*enhancer_, host, s);
    x.data = space.is_host() ? std::move(z) : z.to(space);
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
