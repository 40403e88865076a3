#pragma once
// The CUDA backend of the ptychography operators, declared once (docs/architecture.md section 7):
// ptycho_cuda.cu implements it, ptycho_nocuda.cpp throws NotCompiled in builds without CUDA.
// The OpenMP backend is the host branch of operators.cpp, likelihood.cpp and complex_ops.cpp,
// which dispatch here on the arrays' memory space. Pointers are to device memory of `device`;
// complex values are std::complex<float> / <double> in memory (the kernels read them as
// cuda::std::complex, which has the same layout). All work goes to the legacy default stream,
// ordered with the SDK's copies; functions returning a value wait for it.
#include <complex>
#include <cstddef>

namespace xrecon::ptycho::kernels::cuda {

using Complex = std::complex<float>;
using ComplexD = std::complex<double>;

// windows (count, rows, cols) = Q object at positions (count, 2).
void crop_windows(int device, const Complex* object, std::size_t object_rows, std::size_t object_cols,
                  const double* positions, std::size_t count, std::size_t rows, std::size_t cols, Complex* windows);
// object += Q^*(conj(probe) * back) (probe null: Q^* back), accumulated in double with atomics.
void scatter_windows(int device, const Complex* back, const Complex* probe, const double* positions,
                     std::size_t count, std::size_t rows, std::size_t cols, ComplexD* object, std::size_t object_rows,
                     std::size_t object_cols);
// gradient (rows, cols) = sum_j conj(windows_j) * back_j, in double.
void probe_gradient(int device, const Complex* back, const Complex* windows, std::size_t count, std::size_t frame,
                    ComplexD* gradient);
// spectra (count, H, W) = F(probe * windows_j zero padded), orthonormal, FFT order.
void propagate(int device, const Complex* probe, const Complex* windows, std::size_t count, std::size_t rows,
               std::size_t cols, std::size_t detector_rows, std::size_t detector_cols, Complex* spectra);
// back (count, rows, cols) = F^* spectra cut to (rows, cols); spectra are transformed in place.
void backpropagate(int device, Complex* spectra, std::size_t count, std::size_t detector_rows,
                   std::size_t detector_cols, std::size_t rows, std::size_t cols, Complex* back);
// Frames reordered between centred and FFT order (to_fft: centred -> FFT order); float or complex.
void reorder(int device, const float* in, std::size_t count, std::size_t rows, std::size_t cols, bool to_fft,
             float* out);
void reorder(int device, const Complex* in, std::size_t count, std::size_t rows, std::size_t cols, bool to_fft,
             Complex* out);
void square_root(int device, float* values, std::size_t n);
// The likelihood's terms; `gaussian` selects it, else Poisson.
double data_cost(int device, const Complex* spectra, const float* measured, std::size_t n, bool gaussian);
double data_cost_change_along(int device, const Complex* spectra, const Complex* step, double gamma,
                              const float* measured, std::size_t n, bool gaussian);
void residual(int device, const Complex* spectra, const float* measured, std::size_t n, bool gaussian,
              Complex* out);
// Vector algebra (complex_ops.hpp).
double real_dot(int device, const Complex* a, const Complex* b, std::size_t n);
void axpy(int device, float alpha, const Complex* x, Complex* y, std::size_t n);
void descent_update(int device, const Complex* g, float beta, Complex* d, std::size_t n);
void round_to_float(int device, const ComplexD* in, Complex* out, std::size_t n);
void zero(int device, void* data, std::size_t bytes);
// Waits until the work queued so far on the device's legacy default stream has finished: before a
// result of these kernels is read from another stream (a communicator's collective).
void finish_queued_work(int device);
// Scales every |v| > limit down to limit; says whether any was.
bool clamp_amplitude(int device, Complex* values, std::size_t n, float limit);
// Unnormalised 2-D FFTs of count frames in place (cached batched cuFFT plans): unlike the host's
// fft2_frames, no 1 / sqrt(rows * cols); propagate and backpropagate fold it into their kernels.
void fft2_frames(int device, Complex* frames, std::size_t count, std::size_t rows, std::size_t cols, bool forward);

}  // namespace xrecon::ptycho::kernels::cuda
