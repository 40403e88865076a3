#include <cuda_runtime_api.h>

#include "topology_nvml.hpp"
#include "xrecon/engine/devices.hpp"
#include "xrecon/engine/topology.hpp"

namespace xrecon::engine {

Topology read_topology() {
  Topology topology;
  topology.cpu = read_cpu_info();
  // Through the engine's discovery, which tells "no GPU here" from "CUDA unusable here" (an old
  // driver, a device in a bad state), so that the second is shown, not read as the first.
  const int count = cuda_device_count();
  if (count <= 0) {
    const std::string problem = cuda_device_problem();
    topology.gpu_note = problem.empty() ? "no GPUs shown: the CUDA runtime found no device (or no driver)"
                                        : "no GPUs shown: CUDA is unusable here: " + problem;
    return topology;
  }
  std::vector<std::string> pci_bus_ids;
  for (int i = 0; i < count; ++i) {
    cudaDeviceProp prop{};
    cudaGetDeviceProperties(&prop, i);
    topology.gpus.push_back({i, prop.name, prop.totalGlobalMem, prop.major, prop.minor, -1});
    char bus_id[32] = {};
    cudaDeviceGetPCIBusId(bus_id, sizeof bus_id, i);
    pci_bus_ids.emplace_back(bus_id);
  }
  topology.links.assign(std::size_t(count), std::vector<GpuLink>(std::size_t(count)));
  for (int i = 0; i < count; ++i)
    for (int j = 0; j < count; ++j) {
      if (i == j) continue;
      GpuLink& link = topology.links[std::size_t(i)][std::size_t(j)];
      int can = 0;
      link.peer_access = cudaDeviceCanAccessPeer(&can, i, j) == cudaSuccess && can != 0;
      int rank = -1;
      if (link.peer_access && cudaDeviceGetP2PAttribute(&rank, cudaDevP2PAttrPerformanceRank, i, j) == cudaSuccess)
        link.performance_rank = rank;
    }
  std::string why;
  if (const auto nvlinks = read_nvlinks(pci_bus_ids, why)) {
    for (int i = 0; i < count; ++i) {
      topology.gpus[std::size_t(i)].active_nvlinks = nvlinks->active_links[std::size_t(i)];
      for (int j = 0; j < count; ++j)
        if (i != j)
          topology.links[std::size_t(i)][std::size_t(j)].nvlink =
              nvlinks->connected[std::size_t(i)][std::size_t(j)] ? GpuLink::NvLink::present : GpuLink::NvLink::absent;
    }
  } else {
    topology.gpu_note = why;
  }
  return topology;
}

}  // namespace xrecon::engine
