// The host side of the topology, the same with or without CUDA.
#include <unistd.h>

#include <thread>

#include "xrecon/engine/topology.hpp"

namespace xrecon::engine {

CpuInfo read_cpu_info() {
  CpuInfo cpu;
  cpu.cores = int(std::thread::hardware_concurrency());
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page_size = sysconf(_SC_PAGE_SIZE);
  if (pages > 0 && page_size > 0) cpu.memory_bytes = std::uint64_t(pages) * std::uint64_t(page_size);
  return cpu;
}

}  // namespace xrecon::engine
