#include "xrecon/engine/devices.hpp"

namespace xrecon::engine {

int cuda_device_count() { return -1; }

}  // namespace xrecon::engine
