#pragma once
// How much memory a computation over slices holds at its peak: fixed bytes plus bytes per slice.
// A solver states it (xrecon::tomo::sirt_memory, cgls_memory) and plan_chunks (xrecon/slabs.hpp)
// cuts each device's slab into chunks that fit (docs/architecture.md section 5).
#include <cstddef>

namespace xrecon {

struct MemoryNeed {
  std::size_t fixed = 0;      // bytes whatever the number of slices
  std::size_t per_slice = 0;  // bytes per slice (one detector row of projections, one n x n image)
  std::size_t bytes(std::size_t slices) const { return fixed + per_slice * slices; }
};

}  // namespace xrecon
