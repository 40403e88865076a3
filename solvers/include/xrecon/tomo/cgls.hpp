#pragma once
// CGLS (conjugate gradients on the normal equations, in the form that never builds A^T A) for
// A x = b over the Joseph projector pair, optionally with the proximal term rho * ||x - v||^2:
// CGLS on the stacked system [A; sqrt(rho) I] x = [b; sqrt(rho) v], which minimises
//   ||b - A x||^2 + rho * ||x - v||^2.
// Every vector operation runs where the arrays live (linalg::, tomo::project/backproject), so the
// same code serves host memory and a GPU.
//
// Slices are independent, so a volume may be split into slabs of slices across devices: each
// rank runs cgls() on its slab and `all_reduce` sums the scalars (||s||^2, ||q||^2, ...) over
// the ranks, so every rank takes the same steps and the result equals the one-device result.
#include <cstddef>
#include <functional>
#include <optional>
#include <span>

#include "xrecon/array.hpp"
#include "xrecon/tomo/projector.hpp"

namespace xrecon::tomo {

struct CglsIteration {
  std::size_t iteration = 0;      // 1-based index of the iteration just completed
  std::size_t iterations = 0;     // total requested
  double residual_norm = 0;       // ||b - A x|| after it (as CGLS updates r, not a fresh projection)
  double normal_residual_norm = 0;  // ||A^T (b - A x) - rho (x - v)||: half the cost's gradient, 0 at the minimum
};

// The pull towards v: rho * ||x - v||^2 with rho >= 0. v has the volume's shape and memory space.
struct CglsProximal {
  double rho = 0;
  ArrayF v;
};

struct CglsOptions {
  std::size_t iterations = 20;
  std::optional<CglsProximal> proximal;
  // Per-ray weights w >= 0 (the projections' shape and memory space): CGLS then minimises
  // ||W^(1/2) (b - A x)||^2 + rho ||x - v||^2, i.e. runs on the system [W^(1/2) A; sqrt(rho) I].
  // Joint ptycho-tomography weights each ray by |t|^2 of its transmission estimate.
  std::optional<ArrayF> weights;
  // Called on the calling thread after every iteration; may throw (e.g. Cancelled) to stop.
  std::function<void(const CglsIteration&)> on_iteration;
  // Sums partial scalars over the ranks that share a split volume, in place; every rank must
  // call cgls() with the same options, so they all call it equally often. Empty: one rank.
  std::function<void(std::span<double>)> all_reduce;
};

struct CglsResult {
  // Completed iterations: fewer than requested only when the minimum was reached exactly.
  std::size_t iterations = 0;
  double initial_residual_norm = 0;  // ||b - A x0||
  double residual_norm = 0;          // ||b - A x|| at the end
  double normal_residual_norm = 0;   // as in CglsIteration, at the end
};

// Runs CGLS on projections b (angles, rows, cols) starting from `volume` (rows, n, n), which holds
// x0 on entry and the result on return; residual norms are of the weighted residual W^(1/2) (b - A x).
// Throws InputError for mismatched shapes, non-finite values, a negative rho or negative weights. A volume with no slices (and projections with no rows) is a rank
// that holds none of a split volume: it contributes zeros to every all-reduce.
CglsResult cgls(const ArrayF& projections, const Geometry& geometry, ArrayF& volume, const CglsOptions& options = {});

}  // namespace xrecon::tomo
