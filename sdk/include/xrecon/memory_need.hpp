#pragma once
// How much memory a computation over slices holds at its peak: fixed bytes plus bytes per slice.
// A solver states it (xrecon::tomo::sirt_memory, cgls_memory); plan_chunks (xrecon/slabs.hpp)
// cuts each device's slab into chunks that fit, and a stage that states its need in its
// ComponentSpec (memory_need) has the engine do that before it runs (docs/architecture.md section 5).
#include <cstddef>
#include <vector>

namespace xrecon {

struct MemoryNeed {
  std::size_t fixed = 0;      // bytes whatever the number of slices
  std::size_t per_slice = 0;  // bytes per slice (one detector row of projections, one n x n image)
  std::size_t bytes(std::size_t slices) const { return fixed + per_slice * slices; }
};

// Slices [begin, end) of a volume, rows [begin, end) of its projections.
struct Slab {
  std::size_t begin = 0, end = 0;
  std::size_t size() const { return end - begin; }
  bool empty() const { return begin == end; }
};

// For each rank of a context, its slab cut into consecutive chunks that fit its device.
using ChunkPlan = std::vector<std::vector<Slab>>;

// What a stage states about a run before it starts (ComponentSpec::memory_need): how many slices
// it has, what they need, and whether its solver couples the slices of a slab (then a slab must
// fit whole: CGLS's step lengths are sums over all its slices).
struct SliceMemory {
  std::size_t slices = 0;
  MemoryNeed need;
  bool whole_slab = false;
};

}  // namespace xrecon
