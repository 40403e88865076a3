#pragma once
// Per-element math of the transmission and its linearised log (xrecon/joint/transmission.hpp),
// shared by the OpenMP loops (transmission_cpu.cpp) and the CUDA kernels (transmission_cuda.cu)
// so that the CPU tests exercise what the GPU runs. Complex values are read and written as their
// (re, im) floats: std::complex on the host and cuda::std::complex in the kernels share that layout.
#include <cmath>
#include <cstddef>

#include "xrecon/hd.hpp"

namespace xrecon::joint::detail {

// H = exp(-q) exp(i p) of one pixel, as std::polar(exp(-q), p) computes it in float.
XRECON_HD void transmission_of(float p, float q, float& re, float& im) {
  const float amplitude = ::expf(-q);
  re = amplitude * ::cosf(p);
  im = amplitude * ::sinf(p);
}

struct SideMean {
  double re = 0, im = 0;
};

// The mean of an image's first and last columns; `image` points at its (rows, cols) interleaved
// (re, im) floats. Added in double row by row, in one order on every backend, so that both refer
// an image to the same mean to the last bit.
XRECON_HD SideMean side_mean(const float* image, std::size_t rows, std::size_t cols) {
  SideMean sum;
  for (std::size_t r = 0; r < rows; ++r) {
    const float* first = image + 2 * r * cols;
    const float* last = first + 2 * (cols - 1);
    sum.re += double(first[0]) + double(last[0]);
    sum.im += double(first[1]) + double(last[1]);
  }
  const double count = double(2 * rows);
  return {sum.re / count, sum.im / count};
}

// What an image's values are referred to: the unit phase factor of its side mean e and |e|.
struct SideReference {
  double unit_re = 1, unit_im = 0, amplitude = 1;
};

XRECON_HD SideReference side_reference(const SideMean& mean) {
  SideReference s;
  s.amplitude = ::hypot(mean.re, mean.im);
  s.unit_re = mean.re / s.amplitude;
  s.unit_im = mean.im / s.amplitude;
  return s;
}

// p = arg(t / unit) and q = -log(max(|t|, 1e-6 |e|) / |e|) of one pixel t = (re, im). Dividing by
// a unit factor is multiplying by its conjugate, and leaves |t| as it is. The floor is chosen by
// comparison, not fmax, so that a NaN in t stays NaN in q rather than turning into the floor.
XRECON_HD void linearised_log_of(float re, float im, const SideReference& s, float& p, float& q) {
  const double referred_re = double(re) * s.unit_re + double(im) * s.unit_im;
  const double referred_im = double(im) * s.unit_re - double(re) * s.unit_im;
  p = float(::atan2(referred_im, referred_re));
  const double modulus = ::hypot(double(re), double(im)), floor = 1e-6 * s.amplitude;
  q = float(-::log((modulus < floor ? floor : modulus) / s.amplitude));
}

// The weight of one ray in the u-step's least squares: |t / e|^2 = exp(-2 q), the curvature of
// |H(u) - t|^2 in the phase at the linearisation point (Aslan et al. 2019).
XRECON_HD float ray_weight_of(float q) { return ::expf(-2.0f * q); }

}  // namespace xrecon::joint::detail
