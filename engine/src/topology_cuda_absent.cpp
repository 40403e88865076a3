#include "xrecon/engine/topology.hpp"

namespace xrecon::engine {

Topology read_topology() {
  Topology topology;
  topology.cpu = read_cpu_info();
  topology.gpu_note = "no GPUs shown: this xrecon was built without CUDA (-DXRECON_CUDA=OFF or no toolkit found)";
  return topology;
}

}  // namespace xrecon::engine
