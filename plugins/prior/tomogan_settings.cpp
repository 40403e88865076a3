#include "tomogan_settings.hpp"

#include <cmath>

#include <xrecon/error.hpp>

namespace xrecon::prior_plugin {
namespace {

prior::Backend named_backend(const std::string& name) {
  if (name == "reference") return prior::Backend::reference;
  if (name == "onednn") return prior::Backend::onednn;
  return prior::Backend::cudnn;
}

prior::Precision named_precision(const std::string& name) {
  if (name == "fp16") return prior::Precision::fp16;
  if (name == "bf16") return prior::Precision::bf16;
  return prior::Precision::fp32;
}

prior::Backend automatic_backend(const Context& context) {
  const bool on_gpu = !context.devices().empty() && context.devices().front().kind == Device::Kind::cuda;
  if (on_gpu && prior::backend_available(prior::Backend::cudnn)) return prior::Backend::cudnn;
  if (prior::backend_available(prior::Backend::onednn)) return prior::Backend::onednn;
  return prior::Backend::reference;
}

}  // namespace

void add_tomogan_params(ParamSchema& params) {
  params.input_file("model", "the network, an xrecon model file (docs/model-file.md), e.g. models/tomogan-foam.h5")
      .required();
  params.real("strength", 1.0, "s in z = (1 - s) v + s D(v): 0 leaves the image as it is, 1 is the network's output",
              0.0, 1.0);
  params.choice("backend", "auto", {"auto", "reference", "onednn", "cudnn"},
                "auto: cuDNN on a GPU device, else oneDNN on the CPU; reference: plain loops (slow, for checks)");
  params.choice("precision", "fp32", {"fp32", "fp16", "bf16"}, "arithmetic of the cuDNN backend (tensor cores below fp32)");
  params.integer("tile", 1024, "output pixels per tile side; larger images are cut into overlapping tiles", 8, 65536);
}

TomoganSettings tomogan_settings(const ParamValues& values) {
  TomoganSettings s;
  s.model = values.string("model");
  s.strength = values.real("strength");
  s.backend = values.string("backend");
  s.precision = named_precision(values.string("precision"));
  s.tile = int(values.integer("tile"));
  return s;
}

std::unique_ptr<prior::Enhancer> make_enhancer(const TomoganSettings& settings, Context& context) {
  const prior::Backend backend =
      settings.backend == "auto" ? automatic_backend(context) : named_backend(settings.backend);
  if (!prior::backend_available(backend))
    throw InputError("backend '" + prior::to_string(backend) +
                     "' is not available in this build or on this machine; use backend: auto");
  prior::EnhanceOptions options;
  options.tile = settings.tile;
  options.precision = settings.precision;
  if (backend == prior::Backend::cudnn) {
    for (const Device& device : context.devices())
      if (device.kind == Device::Kind::cuda) {
        options.device = device.index;
        break;
      }
  } else if (settings.precision != prior::Precision::fp32) {
    throw InputError("precision fp16/bf16 needs the cudnn backend; '" + prior::to_string(backend) + "' runs in fp32");
  }
  auto enhancer = std::make_unique<prior::Enhancer>(prior::load_model(settings.model), backend, options);
  context.logger().info("prior.tomogan: " + enhancer->model().name + " (" +
                        std::to_string(enhancer->model().parameter_count()) + " parameters) from " +
                        settings.model.string() + " on " + prior::to_string(backend));
  return enhancer;
}

ArrayF blend_enhanced(prior::Enhancer& enhancer, const ArrayF& stack, double strength) {
  XRECON_CHECK(stack.rank() == 3, "prior.tomogan: the volume must be (slices, rows, cols), got " +
                                      stack.shape().to_string());
  if (strength == 0) return stack.clone();
  ArrayF out = enhancer.enhance_stack(stack);
  if (strength == 1) return out;
  const auto v = stack.host_span();
  auto z = out.host_span();
  const float s = float(strength);
  for (std::size_t i = 0; i < z.size(); ++i) z[i] = (1 - s) * v[i] + s * z[i];
  return out;
}

}  // namespace xrecon::prior_plugin
