#pragma once
// The linear pieces of the far-field model on host arrays in float: the bilinear crop Q and its
// adjoint, the propagation F(P * .) and its adjoint. Spectra here are in FFT order (zero
// frequency at index 0); only the public functions move it to the centre.
#include <cstddef>

#include "xrecon/array.hpp"

namespace xrecon::ptycho::detail {

// Q: the (N, h, w) windows of the object at the positions.
ArrayCF crop_windows(const ArrayCF& object, const ArrayD& positions, std::size_t rows, std::size_t cols);
// object += Q^* windows: every window sample pushed back with its four bilinear weights.
void scatter_windows(const ArrayCF& windows, const ArrayD& positions, ArrayCF& object);

// F(probe * windows_j), each exit wave zero padded to (detector_rows, detector_cols) at its top-left.
ArrayCF propagate(const ArrayCF& probe, const ArrayCF& windows, std::size_t detector_rows, std::size_t detector_cols);
// The adjoint of the padding and F: F^* of each spectrum, cut to (rows, cols). Transforms `spectra`
// in place, as scratch.
ArrayCF backpropagate(ArrayCF& spectra, std::size_t rows, std::size_t cols);

// Q^*(conj(P) * back_j) summed over j, on a zero object of the given shape.
ArrayCF object_gradient_from(const ArrayCF& back, const ArrayCF& probe, const ArrayD& positions, const Shape& object_shape);
// sum_j conj(windows_j) * back_j.
ArrayCF probe_gradient_from(const ArrayCF& back, const ArrayCF& windows);

}  // namespace xrecon::ptycho::detail
