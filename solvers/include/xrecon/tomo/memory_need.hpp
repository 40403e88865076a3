#pragma once
// How much array storage the iterative tomography solvers hold at their peak, for a number of
// slices (docs/architecture.md section 5): a stage plans its chunks of slices from it instead of running out
// of device memory halfway. Counted from the arrays each solver keeps and the temporaries of its
// costliest step, inputs included (the projections of those slices and the volume slab); the
// tests check each estimate against the measured peak (xrecon::peak_bytes) to within 20%.
// Kernel scratch outside arrays (angle tables, FFT plans) is not in it: planners keep a margin.
#include <cstddef>

#include "xrecon/memory_need.hpp"
#include "xrecon/tomo/projector.hpp"

namespace xrecon::tomo {

// The SDK's type (xrecon/memory_need.hpp), so that plan_chunks (xrecon/slabs.hpp) takes it.
using MemoryNeed = xrecon::MemoryNeed;

// tomo::sirt: the volume, projections, both weights, and one iteration's residual and correction.
MemoryNeed sirt_memory(const Geometry& geometry);
// tomo::cgls: x, b, r, s, p, q and the next s while the last is alive; v with a proximal term.
MemoryNeed cgls_memory(const Geometry& geometry, bool proximal);

}  // namespace xrecon::tomo
