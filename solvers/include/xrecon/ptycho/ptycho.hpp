#pragma once
// Far-field ptychography, single probe mode (ALGORITHMS.md, Ptychography).
//
// Shapes: object psi (rows, cols); probe P (h, w); positions (N, 2), the (row, col) of each probe
// window's top-left corner in object pixels, sub-pixel; patterns d (N, H, W) with H >= h, W >= w,
// intensities with zero frequency at the centre (index H / 2, W / 2).
//
// Model: psi_j = Q_j psi, the bilinear crop of the (h, w) window at r_j (4 weights from r_j's
// fractional part); exit wave e_j = P * psi_j, zero padded to (H, W) at its top-left corner;
// farfield F e_j, the orthonormal 2-D DFT with zero frequency moved to the centre.
//
// Gradient convention: the gradients are the Wirtinger derivatives df / d conj(x), the formulas
// of ALGORITHMS.md as written, so that for any direction h
//   d/dt f(x + t h) at t = 0  ==  2 Re<g, h>,   <g, h> = sum conj(g) h.
// Steepest descent is therefore -g, and the Dai-Yuan coefficient is the same for g or 2g.
#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "xrecon/array.hpp"

namespace xrecon::ptycho {

enum class Likelihood { gaussian, poisson };

// Keeps the Poisson log finite where the model has no intensity: log(|F e|^2 + eps).
inline constexpr double kPoissonEpsilon = 1e-8;

// The farfields F e_j (N, H, W), zero frequency at the centre. Without a detector size, H x W is
// the probe's size.
ArrayCF farfield(const ArrayCF& object, const ArrayCF& probe, const ArrayD& positions);
ArrayCF farfield(const ArrayCF& object, const ArrayCF& probe, const ArrayD& positions, std::size_t detector_rows,
                 std::size_t detector_cols);

// Gaussian: sum (|F e| - sqrt(d))^2. Poisson: sum |F e|^2 - d log(|F e|^2 + eps). Accumulated in
// double; patterns and farfield both centred, of the same shape.
double cost(const ArrayF& patterns, const ArrayCF& farfield, Likelihood likelihood);

// df / d conj(psi), shape of the object; df / d conj(P), shape of the probe.
ArrayCF object_gradient(const ArrayF& patterns, const ArrayCF& object, const ArrayCF& probe, const ArrayD& positions,
                        Likelihood likelihood);
ArrayCF probe_gradient(const ArrayF& patterns, const ArrayCF& object, const ArrayCF& probe, const ArrayD& positions,
                       Likelihood likelihood);

struct CgIteration {
  std::size_t iteration = 0;  // 1-based index of the iteration just completed
  double cost = 0;            // the cost after it, proximal term included
};

struct CgOptions {
  std::size_t iterations = 50;
  Likelihood likelihood = Likelihood::gaussian;
  // Each iteration takes an object CG step, then a probe CG step.
  bool recover_probe = false;
  // |psi| <= max_amplitude, imposed after every object step (a projection, so the cost may rise).
  std::optional<double> max_amplitude;
  // Adds rho * ||psi - v||^2 (the ADMM psi-step); v has the object's shape and outlives the call.
  struct Proximal {
    double rho = 0;
    const ArrayCF* v = nullptr;
  };
  std::optional<Proximal> proximal;
  // Called after every iteration on the calling thread; may throw (e.g. Cancelled) to stop.
  std::function<void(const CgIteration&)> on_iteration;
  // With the positions split across ranks (the object and probe replicated), these sum partial
  // values over the ranks in place: the data costs of the line search (host memory), and the
  // gradients. Every rank calls reconstruct() with the same options, so all call them equally
  // often. Empty: one rank.
  std::function<void(std::span<double>)> all_reduce_scalars;
  // A rank's partial object / probe gradient as interleaved (re, im) doubles, in the memory space
  // of the object and probe (device memory when they are on a GPU). They are summed in double
  // and rounded to float only after the sum, so that the float gradient, and with it the whole
  // CG trajectory, does not depend on how the positions are split (the Poisson line search is
  // sensitive enough that float partial sums in another order send it down another path).
  std::function<void(std::span<double>)> all_reduce_object_gradient;
  std::function<void(std::span<double>)> all_reduce_probe_gradient;
};

struct CgResult {
  std::vector<double> costs;  // after each iteration, as reported to on_iteration
};

// Dai-Yuan conjugate gradients with a backtracking line search, starting from `object` (and
// `probe`), which hold the result on return. The search starts at twice the step last accepted
// for that unknown (1 at first), so that a step once cut short can grow back, and halves it until
// the cost does not rise; below 1e-32 it gives up and the next direction is the steepest descent.
// The costs reported never rise unless max_amplitude clips the object. Throws InputError for inconsistent shapes, positions
// that put a window outside the object, or negative / non-finite intensities.
// Runs where the object is: the probe must be in its memory space (host or cuda:k); the patterns,
// positions and proximal centre are copied there when they are elsewhere.
CgResult reconstruct(const ArrayF& patterns, const ArrayD& positions, ArrayCF& object, ArrayCF& probe,
                     const CgOptions& options = {});

}  // namespace xrecon::ptycho
