#pragma once
// Orthonormal 2-D FFTs over a stack of (H, W) frames, in place, through cached FFTW plans.
#include <complex>
#include <cstddef>

namespace xrecon::ptycho::detail {

enum class FftDirection { forward, inverse };

// Transforms frames[count][rows][cols] in place, scaled by 1 / sqrt(rows * cols) so that the
// forward and inverse transforms are each other's adjoint. Spectra stay in FFT order (zero
// frequency at index 0). The frames are split into one batch per OpenMP thread.
void fft2_frames(std::complex<float>* frames, std::size_t count, std::size_t rows, std::size_t cols,
                 FftDirection direction);

}  // namespace xrecon::ptycho::detail
