#pragma once
// The vector algebra of the CG solver on complex arrays, host or cuda:k (the operands of one call
// in the same space); reductions accumulate in double.
#include "xrecon/array.hpp"

namespace xrecon::ptycho::detail {

// A zero array of `like`'s shape in its memory space.
ArrayCF zeros_like(const ArrayCF& like);

// Re<a, b> = Re sum conj(a) b.
double real_dot(const ArrayCF& a, const ArrayCF& b);
inline double squared_norm(const ArrayCF& a) { return real_dot(a, a); }
// y += alpha * x.
void axpy(double alpha, const ArrayCF& x, ArrayCF& y);
// d = beta * d - g: the conjugate-gradient direction update.
void descent_update(const ArrayCF& g, double beta, ArrayCF& d);
// Scales every |v| > limit down to the limit; says whether any was.
bool clamp_amplitude(ArrayCF& values, double limit);

}  // namespace xrecon::ptycho::detail
