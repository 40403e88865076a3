#pragma once
// What `xrecon devices` shows (docs/architecture.md section 6): the host CPU, the GPUs, the links between
// every pair of GPUs, and the NVLink cliques that hierarchical reductions go through first.
#include <cstdint>
#include <string>
#include <vector>

namespace xrecon::engine {

struct CpuInfo {
  int cores = 0;
  std::uint64_t memory_bytes = 0;
};

struct GpuInfo {
  int index = 0;
  std::string name;
  std::uint64_t memory_bytes = 0;
  int compute_major = 0;
  int compute_minor = 0;
  // Active NVLinks of this GPU as NVML reports them; -1 when NVML could not be asked.
  int active_nvlinks = -1;
};

// The link from one GPU to another, as the CUDA runtime and NVML see it.
struct GpuLink {
  bool peer_access = false;
  // cudaDevP2PAttrPerformanceRank: 0 is the fastest; -1 when there is no peer access.
  int performance_rank = -1;
  // NVLink joins the pair (directly or through NVSwitch): known only when NVML answered.
  enum class NvLink { unknown, absent, present } nvlink = NvLink::unknown;
};

// links[i][j] describes the link from GPU i to GPU j; the diagonal is unused.
using LinkMatrix = std::vector<std::vector<GpuLink>>;

struct Topology {
  CpuInfo cpu;
  std::vector<GpuInfo> gpus;
  LinkMatrix links;
  // Why `gpus` is empty (no CUDA in this build, no driver, no device), or why NVLinks are unknown.
  std::string gpu_note;
};

// The CPU part is read in topology.cpp, the GPU part by the CUDA backend when it was built.
CpuInfo read_cpu_info();
Topology read_topology();

// GPUs grouped so that every pair inside a group is joined by NVLink, in index order: each GPU
// joins the first group whose every member it has NVLink to, or starts a new one. A GPU without
// NVLink (or with unknown NVLink) is a group of its own.
std::vector<std::vector<int>> nvlink_cliques(const LinkMatrix& links);

// The text `xrecon devices` prints.
std::string describe_topology(const Topology& topology);

}  // namespace xrecon::engine
