// The cuDNN 9 GPU backend.
#include "executor.hpp"
#include "xrecon/error.hpp"

namespace xrecon::prior::detail {

std::unique_ptr<Executor> make_cudnn_executor(const Model&, const EnhanceOptions&) {
  throw NotCompiled("the cudnn prior backend is not written yet");
}
bool cudnn_device_present() { return false; }

}  // namespace xrecon::prior::detail
