#pragma once
// Counting of array storage per memory space (memory_accounting.cpp), used by allocate_bytes.
#include <cstddef>
#include <memory>

#include "xrecon/memory.hpp"

namespace xrecon::detail {
// `owner` as returned to the caller, counted in `space` until the last copy is released.
std::shared_ptr<void> counted(std::shared_ptr<void> owner, MemorySpace space, std::size_t bytes);
}  // namespace xrecon::detail
