#pragma once
// What a backend implements: the bare graph on one (channels, H, W) host image.
#include <memory>

#include "xrecon/array.hpp"
#include "xrecon/prior/network.hpp"

namespace xrecon::prior::detail {

class Executor {
 public:
  virtual ~Executor() = default;
  // input (channels, H, W) on the host; returns the output layer's (C, H', W') on the host.
  virtual ArrayF run(const ArrayF& input) = 0;
};

std::unique_ptr<Executor> make_reference_executor(const Model& model);
// NotCompiled when the build lacks oneDNN / CUDA.
std::unique_ptr<Executor> make_onednn_executor(const Model& model, const EnhanceOptions& options);
std::unique_ptr<Executor> make_cudnn_executor(const Model& model, const EnhanceOptions& options);
bool onednn_compiled();
bool cudnn_device_present();

}  // namespace xrecon::prior::detail
