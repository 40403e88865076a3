#pragma once
// The two maps between a volume's projections and the complex transmission of joint
// ptycho-tomography (ALGORITHMS.md), in phase units: with p = nu * voxel * R delta and
// q = nu * voxel * R beta (line integrals of the volume in pixel units, scaled by nu * voxel),
//   H = exp(i (p + i q)) = exp(-q) exp(i p),
// and its inverse, the linearised log used by the u-step: from a transmission estimate t,
//   p = arg(t / e),  q = -log(|t| / |e|),
// where e is the mean of t over the image's first and last columns (the air beside the sample:
// the rotation axis runs along the rows, so the top and bottom rows cut through the sample while
// its sides do not), so that a constant phase or amplitude factor of the ptychographic estimate
// (which ptychography cannot fix) does not leak into the volume, and the phase stays on one
// branch for |p| < pi.
//
// Both take an image (rows, cols) or a stack of them (count, rows, cols), the angles of one rank,
// and run where their arrays live: host arrays in OpenMP loops, cuda:k arrays in CUDA kernels on
// device k (NotCompiled in a build without CUDA). Each image of a stack gets exactly what a call
// on that image alone gives.
#include "xrecon/array.hpp"

namespace xrecon::joint {

// H from p and q, of one shape and memory space; H in that space.
ArrayCF transmission(const ArrayF& phase, const ArrayF& attenuation);

struct LinearisedLog {
  ArrayF phase;        // p, t's shape and memory space
  ArrayF attenuation;  // q
};

// The u-step's per-ray weights |t / e|^2 = exp(-2 q) from the attenuation q of linearised_log, in
// q's shape and memory space: the weighted least squares of Aslan et al. 2019, where a ray through
// an absorbing sample, whose phase is less certain, counts less.
ArrayF ray_weights(const ArrayF& attenuation);

// p and q from t, each image referred to its own side mean e; |t| is floored at 1e-6 |e|. Throws
// when an image has no amplitude at its sides (|e| zero or not finite).
LinearisedLog linearised_log(const ArrayCF& t);

}  // namespace xrecon::joint
