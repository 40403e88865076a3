#pragma once
// NVLink facts from NVML, loaded with dlopen at run time so that xrecon neither links against
// libnvidia-ml nor needs its header: a machine without the driver still runs `xrecon devices`.
#include <optional>
#include <string>
#include <vector>

namespace xrecon::engine {

struct NvLinkFacts {
  std::vector<int> active_links;             // per GPU
  std::vector<std::vector<bool>> connected;  // [i][j]: NVLink joins GPU i and GPU j
};

// `pci_bus_ids` name the GPUs in CUDA order (cudaDeviceGetPCIBusId), since NVML numbers them
// differently. Empty with `why` set when NVML is missing or refuses.
std::optional<NvLinkFacts> read_nvlinks(const std::vector<std::string>& pci_bus_ids, std::string& why);

}  // namespace xrecon::engine
