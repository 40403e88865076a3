// A complete plugin in one file: one stage, `hello.scale`, that multiplies a volume by a factor.
#include <memory>

#include <xrecon/plugin.hpp>
#include <xrecon/stage.hpp>

namespace {

class ScaleStage final : public xrecon::Stage {
 public:
  explicit ScaleStage(double factor) : factor_(factor) {}

  void run(xrecon::StageIO& io, xrecon::Context& context) override {
    auto in = io.require<xrecon::Volume>("volume");
    auto out = std::make_shared<xrecon::Volume>(*in);
    out->data = in->data.clone();
    for (float& v : out->data.host_span()) v = float(v * factor_);
    context.logger().info("hello.scale: multiplied " + out->data.shape().to_string() + " voxels");
    io.send("volume", out);
  }

 private:
  double factor_;
};

xrecon::ComponentSpec scale_spec() {
  xrecon::ComponentSpec spec;
  spec.name = "hello.scale";
  spec.summary = "Multiplies every voxel of a volume by a factor";
  spec.params.real("factor", 2.0, "the multiplier", -1e6, 1e6);
  spec.inputs = {{"volume", xrecon::PayloadKind::volume, "the volume to scale"}};
  spec.outputs = {{"volume", xrecon::PayloadKind::volume, "the scaled volume"}};
  spec.create = [](const xrecon::ParamValues& p) { return std::make_unique<ScaleStage>(p.real("factor")); };
  return spec;
}

}  // namespace

XRECON_PLUGIN("hello", "1.0.0", scale_spec())
