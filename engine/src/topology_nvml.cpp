#include "topology_nvml.hpp"

#include <dlfcn.h>

namespace xrecon::engine {

namespace {

// The few NVML declarations used, with the values of nvml.h (the header is not installed here).
using nvmlReturn_t = int;
using nvmlDevice_t = struct nvmlDevice_st*;
constexpr nvmlReturn_t kNvmlSuccess = 0;
constexpr int kNvmlP2PCapsIndexNvlink = 2;
constexpr int kNvmlP2PStatusOk = 0;
constexpr int kNvmlFeatureEnabled = 1;
constexpr unsigned kNvmlMaxNvlinks = 18;

struct Nvml {
  void* library = nullptr;
  nvmlReturn_t (*init)() = nullptr;
  nvmlReturn_t (*shutdown)() = nullptr;
  nvmlReturn_t (*by_pci_bus_id)(const char*, nvmlDevice_t*) = nullptr;
  nvmlReturn_t (*p2p_status)(nvmlDevice_t, nvmlDevice_t, int, int*) = nullptr;
  nvmlReturn_t (*nvlink_state)(nvmlDevice_t, unsigned, int*) = nullptr;

  ~Nvml() {
    if (shutdown) shutdown();
    if (library) dlclose(library);
  }
};

template <typename F>
bool bind(void* library, const char* name, F& function) {
  function = reinterpret_cast<F>(dlsym(library, name));
  return function != nullptr;
}

}  // namespace

std::optional<NvLinkFacts> read_nvlinks(const std::vector<std::string>& pci_bus_ids, std::string& why) {
  Nvml nvml;
  nvml.library = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!nvml.library) {
    why = "NVLinks unknown: libnvidia-ml.so.1 not found";
    return std::nullopt;
  }
  decltype(nvml.shutdown) shutdown = nullptr;
  if (!bind(nvml.library, "nvmlInit_v2", nvml.init) || !bind(nvml.library, "nvmlShutdown", shutdown) ||
      !bind(nvml.library, "nvmlDeviceGetHandleByPciBusId_v2", nvml.by_pci_bus_id) ||
      !bind(nvml.library, "nvmlDeviceGetP2PStatus", nvml.p2p_status) ||
      !bind(nvml.library, "nvmlDeviceGetNvLinkState", nvml.nvlink_state)) {
    why = "NVLinks unknown: libnvidia-ml lacks a function xrecon needs";
    return std::nullopt;
  }
  if (nvml.init() != kNvmlSuccess) {
    why = "NVLinks unknown: nvmlInit failed";
    return std::nullopt;
  }
  nvml.shutdown = shutdown;  // only now: nvmlShutdown must follow a successful nvmlInit

  const std::size_t n = pci_bus_ids.size();
  std::vector<nvmlDevice_t> devices(n);
  for (std::size_t i = 0; i < n; ++i)
    if (nvml.by_pci_bus_id(pci_bus_ids[i].c_str(), &devices[i]) != kNvmlSuccess) {
      why = "NVLinks unknown: NVML does not know the GPU at PCI " + pci_bus_ids[i];
      return std::nullopt;
    }
  NvLinkFacts facts{std::vector<int>(n, 0), std::vector<std::vector<bool>>(n, std::vector<bool>(n, false))};
  for (std::size_t i = 0; i < n; ++i) {
    // Links past the GPU's last one answer with an error, which simply ends the count.
    for (unsigned link = 0; link < kNvmlMaxNvlinks; ++link) {
      int state = 0;
      if (nvml.nvlink_state(devices[i], link, &state) == kNvmlSuccess && state == kNvmlFeatureEnabled)
        ++facts.active_links[i];
    }
    for (std::size_t j = 0; j < n; ++j) {
      int status = -1;
      facts.connected[i][j] = i != j &&
                              nvml.p2p_status(devices[i], devices[j], kNvmlP2PCapsIndexNvlink, &status) == kNvmlSuccess &&
                              status == kNvmlP2PStatusOk;
    }
  }
  return facts;
}

}  // namespace xrecon::engine
