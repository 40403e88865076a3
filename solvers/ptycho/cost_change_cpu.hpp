#pragma once
// The line search's sum of cost_change_term (ptycho_math.hpp) over a run of elements, on the CPU,
// four elements at a time in double. The line search evaluates it once per trial step over every
// pixel of every frame, and the scalar loop was most of a CPU iteration: 64% of ptycho.cg's time
// with the Poisson likelihood (glibc's scalar log1p), 28% with the Gaussian one (two sqrt per
// element, and a double sum the compiler may not reorder). The element math is the same as
// cost_change_term's; only the log1p is taken as log(u) x / (u - 1), u = 1 + x, so that glibc's
// vector log (libmvec) serves it, and the four lanes are summed separately and then in order, so
// the result does not depend on the thread count. Tested against the scalar terms summed in long
// double (tests/ptycho/test_cost_change.cpp).
#include <complex>
#include <cstddef>

namespace xrecon::ptycho::detail {

// Sum over i in [0, count) of cost_change_term(z[i], s[i], gamma, d[i], gaussian, epsilon); d holds
// amplitudes (Gaussian) or intensities (Poisson), as Measurements does.
double cost_change_sum(const std::complex<float>* z, const std::complex<float>* s, const float* d, std::size_t count,
                       double gamma, bool gaussian, double epsilon);

}  // namespace xrecon::ptycho::detail
