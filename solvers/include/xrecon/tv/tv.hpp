#pragma once
// The total-variation proximal operator, the TV prior of joint ADMM's phi-step and a denoiser in
// its own right:
//
//     prox(v) = argmin_z  0.5 ||z - v||^2 + lambda TV(z),   TV(z) = sum_i |(grad z)_i|
//
// with isotropic TV over forward differences (zero across the last row, column or slice:
// Neumann boundaries). Solved by Chambolle's projection algorithm (J. Math. Imaging Vision 20,
// 2004): the dual field p, |p_i| <= 1, follows
//
//     p <- (p + tau grad(div p - v / lambda)) / (1 + tau |grad(div p - v / lambda)|)
//
// from p = 0, and z = v - lambda div p. tau = 1 / (4 d) for d coupled axes (1/8 per slice, 1/12
// in 3-D), the bound under which the paper proves convergence; the iteration count is fixed, so
// the result is the same whatever the data and wherever it runs.
//
// Volumes are (z, y, x); Coupling::slices denoises each z slice as a 2-D image, Coupling::volume
// adds the z differences (3-D TV). A 2-D array (y, x) is one slice. The work runs where the arrays
// live: host arrays in OpenMP loops, cuda:k arrays in CUDA kernels on device k (NotCompiled in a
// build without CUDA).
#include <cstddef>

#include "xrecon/array.hpp"

namespace xrecon::tv {

enum class Coupling { slices, volume };

struct ProxOptions {
  double lambda = 0;         // >= 0; 0 returns v unchanged
  Coupling coupling = Coupling::slices;
  std::size_t iterations = 100;
};

// z = prox(v). v and z have the same shape and memory space; z may be v itself (in place).
void prox(const ArrayF& v, ArrayF& z, const ProxOptions& options);
ArrayF prox(const ArrayF& v, const ProxOptions& options);

// TV(x) as defined above, accumulated in double (x anywhere; a device array is copied to the host).
double total_variation(const ArrayF& x, Coupling coupling);

// 0.5 ||z - v||^2 + lambda TV(z), what prox() minimises.
double objective(const ArrayF& z, const ArrayF& v, double lambda, Coupling coupling);

}  // namespace xrecon::tv
