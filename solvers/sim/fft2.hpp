#pragma once
// A 2-D complex single-precision FFT on its own buffer, orthonormal in both directions, for the
// ptychography simulation (detector patterns and lens probes).
#include <complex>
#include <cstddef>

#include <fftw3.h>

namespace xrecon::sim::detail {

enum class FftDirection { forward, inverse };

class Fft2 {
 public:
  // FFTW's planner is not thread safe, so construction takes a process-wide lock; execute() may
  // then run on any thread, one call per object at a time.
  Fft2(std::size_t rows, std::size_t cols, FftDirection direction);
  ~Fft2();
  Fft2(const Fft2&) = delete;
  Fft2& operator=(const Fft2&) = delete;

  // rows * cols values, row-major: fill, execute(), read.
  std::complex<float>* buffer() { return buffer_; }
  // Transforms the buffer in place and scales by 1 / sqrt(rows * cols).
  void execute();

 private:
  std::size_t size_;
  std::complex<float>* buffer_;
  fftwf_plan plan_;
};

// Index of the element that lands at `index` once the zero frequency (or the window origin) is
// moved from 0 to n / 2, as numpy.fft.fftshift does.
inline std::size_t centred_index(std::size_t index, std::size_t n) { return (index + n / 2) % n; }

}  // namespace xrecon::sim::detail
