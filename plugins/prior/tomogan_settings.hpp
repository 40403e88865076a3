#pragma once
// What prior.tomogan (the Prior role) and prior.tomogan_enhance (the stage) share: their
// parameters, the choice of backend for the run's devices, and the blend with the input.
#include <filesystem>
#include <memory>
#include <string>

#include <xrecon/context.hpp>
#include <xrecon/params.hpp>
#include <xrecon/prior/network.hpp>

namespace xrecon::prior_plugin {

struct TomoganSettings {
  std::filesystem::path model;
  double strength = 1;           // s in z = (1 - s) v + s D(v)
  std::string backend = "auto";  // auto, reference, onednn, cudnn
  prior::Precision precision = prior::Precision::fp32;
  int tile = 1024;
};

void add_tomogan_params(ParamSchema& params);
TomoganSettings tomogan_settings(const ParamValues& values);

// The network bound to the backend this run should use: `auto` is cuDNN when the run's first
// device is a GPU, else oneDNN, else the reference loops. An explicit backend this build or
// machine lacks is an InputError saying so.
std::unique_ptr<prior::Enhancer> make_enhancer(const TomoganSettings& settings, Context& context);

// z = (1 - s) v + s D(v) for a (Z, H, W) stack in host memory; s = 0 returns v unchanged
// without running the network.
ArrayF blend_enhanced(prior::Enhancer& enhancer, const ArrayF& stack, double strength);

}  // namespace xrecon::prior_plugin
