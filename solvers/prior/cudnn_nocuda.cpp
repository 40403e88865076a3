// Builds without CUDA: the cudnn backend is absent.
#include "executor.hpp"
#include "xrecon/error.hpp"

namespace xrecon::prior::detail {

std::unique_ptr<Executor> make_cudnn_executor(const Model&, const EnhanceOptions&) {
  throw NotCompiled("the cudnn prior backend needs a build with CUDA (-DXRECON_CUDA=ON) and cuDNN");
}
bool cudnn_device_present() { return false; }

}  // namespace xrecon::prior::detail
