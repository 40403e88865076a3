#pragma once
// The two maps between a volume's projections and the complex transmission of joint
// ptycho-tomography (ALGORITHMS.md), in phase units: with p = nu * voxel * R delta and
// q = nu * voxel * R beta (line integrals of the volume in pixel units, scaled by nu * voxel),
//   H = exp(i (p + i q)) = exp(-q) exp(i p),
// and its inverse, the linearised log used by the u-step: from a transmission estimate t,
//   p = arg(t / e),  q = -log(|t| / |e|),
// where e is the mean of t over the grid's first and last columns (the air beside the sample: the
// rotation axis runs along the rows, so the top and bottom rows cut through the sample while
// its sides do not), so that a constant phase or amplitude factor of the ptychographic estimate
// (which ptychography cannot fix) does not leak into the volume, and the phase stays on one
// branch for |p| < pi.
#include <complex>

#include <xrecon/array.hpp>

namespace xrecon::joint_plugin {

// H from p and q (rows, cols) each; host arrays.
ArrayCF transmission(const ArrayF& phase, const ArrayF& attenuation);

struct LinearisedLog {
  ArrayF phase;        // p (rows, cols)
  ArrayF attenuation;  // q (rows, cols)
};

// p and q from t (rows, cols), referred to t's side mean; |t| is floored at 1e-6 of it.
LinearisedLog linearised_log(const ArrayCF& t);

// The mean of the first and last columns of a (rows, cols) array.
std::complex<double> side_mean(const ArrayCF& t);

}  // namespace xrecon::joint_plugin
