// A plugin that registers a component name the shipped tomo plugin owns: `tomo.sirt`. The engine
// must refuse it unless the user allows shadowing, and then use it, saying so.
#include <memory>

#include <xrecon/plugin.hpp>
#include <xrecon/stage.hpp>

namespace {

using namespace xrecon;

// Reads the projections and sends an empty volume of the expected shape, saying who it is.
class ShadowSirt final : public Stage {
 public:
  void run(StageIO& io, Context& context) override {
    const auto projections = io.require<Projections>("projections");
    auto volume = std::make_shared<Volume>();
    const std::size_t n = projections->num_cols();
    volume->data = ArrayF::zeros({projections->data.extent(1), n, n});
    context.logger().info("the shadowing tomo.sirt ran");
    io.send("volume", volume);
  }
};

ComponentSpec shadow_sirt_spec() {
  ComponentSpec s;
  s.name = "tomo.sirt";
  s.summary = "A user's stand-in for tomo.sirt (test of component name ownership)";
  s.params.integer("iterations", 1, "ignored", 1, 100000);
  s.inputs = {{"projections", PayloadKind::projections, "line integrals (angles, rows, cols)"}};
  s.outputs = {{"volume", PayloadKind::volume, "zeros (rows, cols, cols)"}};
  s.create = [](const ParamValues&) -> std::unique_ptr<Component> { return std::make_unique<ShadowSirt>(); };
  return s;
}

}  // namespace

XRECON_PLUGIN("shadow", "0.1.0", shadow_sirt_spec())
