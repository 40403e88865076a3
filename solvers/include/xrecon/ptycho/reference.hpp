#pragma once
// Plain double-precision far-field ptychography with obvious loops and a direct DFT, single
// threaded: what the optimised operators must compute, for tests at small sizes.
#include <complex>
#include <cstddef>

#include "xrecon/array.hpp"
#include "xrecon/ptycho/ptycho.hpp"

namespace xrecon::ptycho::reference {

using ArrayCD = Array<std::complex<double>>;

ArrayCD to_double(const ArrayCF& a);

// Q: the (N, rows, cols) bilinear windows of the object.
ArrayCD crop(const ArrayCD& object, const ArrayD& positions, std::size_t rows, std::size_t cols);
// Q^*: the windows scattered back onto a zero (object_rows, object_cols) object.
ArrayCD crop_adjoint(const ArrayCD& windows, const ArrayD& positions, std::size_t object_rows, std::size_t object_cols);

// Centred farfields (N, detector_rows, detector_cols), as xrecon::ptycho::farfield.
ArrayCD farfield(const ArrayCD& object, const ArrayCD& probe, const ArrayD& positions, std::size_t detector_rows,
                 std::size_t detector_cols);
double cost(const ArrayF& patterns, const ArrayCD& farfield, Likelihood likelihood);
// df / d conj(psi) and df / d conj(P), the convention of ptycho.hpp.
ArrayCD object_gradient(const ArrayF& patterns, const ArrayCD& object, const ArrayCD& probe, const ArrayD& positions,
                        Likelihood likelihood);
ArrayCD probe_gradient(const ArrayF& patterns, const ArrayCD& object, const ArrayCD& probe, const ArrayD& positions,
                       Likelihood likelihood);

}  // namespace xrecon::ptycho::reference
