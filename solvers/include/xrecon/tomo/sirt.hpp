#pragma once
// SIRT as ASTRA defines it (ALGORITHMS.md, tomography):
//   R = 1 / (A 1), C = lambda / (A^T 1)   (0 where the sum is <= 1e-6)
//   x <- clamp(x + C * A^T (R * (b - A x)), min, max)
#include <cstddef>
#include <functional>
#include <optional>

#include "xrecon/array.hpp"
#include "xrecon/tomo/projector.hpp"

namespace xrecon::tomo {

struct SirtIteration {
  std::size_t iteration = 0;   // 1-based index of the iteration just completed
  std::size_t iterations = 0;  // total requested
  double residual_norm = 0;    // ||b - A x|| of the iterate this iteration started from
};

struct SirtOptions {
  std::size_t iterations = 100;
  double relaxation = 1.0;  // lambda, in (0, 2]
  std::optional<double> min, max;
  // Called on the calling thread after every iteration; may throw (e.g. Cancelled) to stop.
  std::function<void(const SirtIteration&)> on_iteration;
};

// Runs SIRT on projections b (angles, rows, cols) starting from `volume` (rows, n, n), which holds
// x0 on entry and the result on return; both in host memory (CPU) or both on one GPU. Arrays share their bytes when copied: pass a clone() if
// the start image must survive.
void sirt(const ArrayF& projections, const Geometry& geometry, ArrayF& volume, const SirtOptions& options = {});

}  // namespace xrecon::tomo
