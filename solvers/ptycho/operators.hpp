#pragma once
// The linear pieces of the far-field model in float: the bilinear crop Q and its adjoint, the
// propagation F(P * .) and its adjoint. Spectra here are in FFT order (zero frequency at index
// 0); only the public functions move it to the centre. Every function runs where its arrays are:
// host arrays in OpenMP loops and FFTW, cuda:k arrays in the CUDA kernels (ptycho_kernels.hpp);
// results are allocated in the same memory space. Positions may be anywhere (they are copied).
// Sums over positions (the gradients) accumulate in double: rounding them to float once, after
// any sum over ranks, makes the float gradient independent of how positions are split.
#include <complex>
#include <cstddef>

#include "xrecon/array.hpp"

namespace xrecon::ptycho::detail {

using ArrayCD = Array<std::complex<double>>;

// A zero array in `space`.
ArrayCD zeros_double(Shape shape, MemorySpace space);
// `positions` in `space`: the same array when it is there already, else a copy.
ArrayD positions_in(const ArrayD& positions, MemorySpace space);
// Each value rounded to float, in the same memory space.
ArrayCF rounded(const ArrayCD& values);
// Returns once every kernel queued to produce `values` has finished (at once for host arrays):
// before a device buffer goes to code that may read it from its own stream, such as the nccl
// communicator's collectives (docs/architecture.md section 6: an ordering to the producer, made explicit).
void finish_producers(const ArrayCD& values);

// Q: the (N, h, w) windows of the object at the positions.
ArrayCF crop_windows(const ArrayCF& object, const ArrayD& positions, std::size_t rows, std::size_t cols);
// object += Q^* windows: every window sample pushed back with its four bilinear weights.
void scatter_windows(const ArrayCF& windows, const ArrayD& positions, ArrayCD& object);

// F(probe * windows_j), each exit wave zero padded to (detector_rows, detector_cols) at its top-left.
ArrayCF propagate(const ArrayCF& probe, const ArrayCF& windows, std::size_t detector_rows, std::size_t detector_cols);
// The adjoint of the padding and F: F^* of each spectrum, cut to (rows, cols). Transforms `spectra`
// in place, as scratch.
ArrayCF backpropagate(ArrayCF& spectra, std::size_t rows, std::size_t cols);

// Q^*(conj(P) * back_j) summed over j, on a zero object of the given shape.
ArrayCD object_gradient_from(const ArrayCF& back, const ArrayCF& probe, const ArrayD& positions, const Shape& object_shape);
// sum_j conj(windows_j) * back_j.
ArrayCD probe_gradient_from(const ArrayCF& back, const ArrayCF& windows);

}  // namespace xrecon::ptycho::detail
