// joint.admm's complex vector algebra on the CG solver's operations (ptycho/complex_ops), which
// run where their arrays live.
#include "xrecon/joint/vector_algebra.hpp"

#include "../ptycho/complex_ops.hpp"

namespace xrecon::joint {

void axpy(double alpha, const ArrayCF& x, ArrayCF& y) { ptycho::detail::axpy(alpha, x, y); }

double squared_norm(const ArrayCF& a) { return ptycho::detail::squared_norm(a); }

double squared_distance(const ArrayCF& a, const ArrayCF& b) {
  ArrayCF difference = a.clone();
  ptycho::detail::axpy(-1.0, b, difference);
  return ptycho::detail::squared_norm(difference);
}

void scale(double alpha, ArrayCF& y) { ptycho::detail::axpy(alpha - 1, y, y); }

}  // namespace xrecon::joint
