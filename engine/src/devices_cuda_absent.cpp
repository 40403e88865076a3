#include "xrecon/engine/devices.hpp"

namespace xrecon::engine {

int cuda_device_count() { return -1; }

std::string cuda_device_problem() { return {}; }

}  // namespace xrecon::engine
