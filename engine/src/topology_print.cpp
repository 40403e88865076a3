#include <cstdio>
#include <sstream>

#include "xrecon/engine/topology.hpp"

namespace xrecon::engine {

namespace {

std::string gibibytes(std::uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f GiB", double(bytes) / double(1ull << 30));
  return text;
}

// One cell of the link matrix: NV (NVLink), P2P/rank (peer access over PCIe), or "-" (no peer access).
std::string cell(const GpuLink& link) {
  if (link.nvlink == GpuLink::NvLink::present) return "NV";
  if (!link.peer_access) return "-";
  return "P2P/" + std::to_string(link.performance_rank);
}

}  // namespace

std::string describe_topology(const Topology& topology) {
  std::ostringstream out;
  out << "cpu: " << topology.cpu.cores << " cores, " << gibibytes(topology.cpu.memory_bytes) << " memory\n";
  if (topology.gpus.empty()) {
    out << topology.gpu_note << "\n";
    return out.str();
  }
  for (const GpuInfo& gpu : topology.gpus) {
    out << "cuda:" << gpu.index << ": " << gpu.name << ", " << gibibytes(gpu.memory_bytes) << ", compute capability "
        << gpu.compute_major << "." << gpu.compute_minor;
    if (gpu.active_nvlinks >= 0) out << ", " << gpu.active_nvlinks << " active NVLinks";
    out << "\n";
  }
  if (!topology.gpu_note.empty()) out << topology.gpu_note << "\n";
  out << "links (NV = NVLink, P2P/r = peer access with performance rank r, 0 fastest, - = none):\n       ";
  char field[16];
  for (const GpuInfo& gpu : topology.gpus) {
    std::snprintf(field, sizeof field, "%-8s", ("cuda:" + std::to_string(gpu.index)).c_str());
    out << field;
  }
  out << "\n";
  for (std::size_t i = 0; i < topology.gpus.size(); ++i) {
    std::snprintf(field, sizeof field, "%-7s", ("cuda:" + std::to_string(topology.gpus[i].index)).c_str());
    out << field;
    for (std::size_t j = 0; j < topology.gpus.size(); ++j) {
      std::snprintf(field, sizeof field, "%-8s", i == j ? "X" : cell(topology.links[i][j]).c_str());
      out << field;
    }
    out << "\n";
  }
  out << "NVLink cliques:";
  for (const std::vector<int>& clique : nvlink_cliques(topology.links)) {
    out << " {";
    for (std::size_t k = 0; k < clique.size(); ++k)
      out << (k ? "," : "") << "cuda:" << topology.gpus[std::size_t(clique[k])].index;
    out << "}";
  }
  out << "\n";
  return out.str();
}

}  // namespace xrecon::engine
