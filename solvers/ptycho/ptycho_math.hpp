#pragma once
// Per-element math of the far-field model, shared by the OpenMP loops and a future CUDA backend
// (DESIGN.md section 7). Templated on the real type so the double reference uses it too.
#include <cmath>
#include <complex>

#include "xrecon/hd.hpp"

namespace xrecon::ptycho::detail {

// A window's integer top-left corner and the bilinear weights of its four neighbours: the sample
// at window pixel (y, x) is w00 o[r][c] + w01 o[r][c+1] + w10 o[r+1][c] + w11 o[r+1][c+1],
// r = row + y, c = col + x.
struct BilinearCorner {
  long row = 0;
  long col = 0;
  double w00 = 1, w01 = 0, w10 = 0, w11 = 0;
};

XRECON_HD BilinearCorner bilinear_corner(double row, double col) {
  BilinearCorner c;
  c.row = static_cast<long>(std::floor(row));
  c.col = static_cast<long>(std::floor(col));
  const double fr = row - double(c.row), fc = col - double(c.col);
  c.w00 = (1 - fr) * (1 - fc);
  c.w01 = (1 - fr) * fc;
  c.w10 = fr * (1 - fc);
  c.w11 = fr * fc;
  return c;
}

// The neighbour one row / column further, kept inside the object: a window flush with the last
// row has a zero weight there, so the clamp changes no value and lets such windows be valid.
XRECON_HD long next_index(long index, long extent) { return index + 1 < extent ? index + 1 : index; }

// Gaussian: df/d conj(z) of (|z| - a)^2 with a = sqrt(d) is z - a z / |z|. At z = 0 the phase
// z / |z| is undefined (the cost is not differentiable there); 0 is the subgradient of least norm.
// |z| as sqrt(|z|^2): std::abs guards against overflow (hypot) at several times the cost, and
// far-field amplitudes are nowhere near the float range's end.
template <typename T>
XRECON_HD T modulus_of(std::complex<T> z) {
  return std::sqrt(z.real() * z.real() + z.imag() * z.imag());
}

template <typename T>
XRECON_HD std::complex<T> gaussian_residual(std::complex<T> z, T amplitude) {
  const T modulus = modulus_of(z);
  return modulus > T(0) ? z * (T(1) - amplitude / modulus) : z;
}

template <typename T>
XRECON_HD T gaussian_cost_term(std::complex<T> z, T amplitude) {
  const T difference = modulus_of(z) - amplitude;
  return difference * difference;
}

// Poisson: df/d conj(z) of |z|^2 - d log(|z|^2 + eps) is z (1 - d / (|z|^2 + eps)).
template <typename T>
XRECON_HD std::complex<T> poisson_residual(std::complex<T> z, T intensity, T epsilon) {
  return z * (T(1) - intensity / (z.real() * z.real() + z.imag() * z.imag() + epsilon));
}

template <typename T>
XRECON_HD T poisson_cost_term(std::complex<T> z, T intensity, T epsilon) {
  const T model = z.real() * z.real() + z.imag() * z.imag();
  return model - intensity * std::log(model + epsilon);
}

}  // namespace xrecon::ptycho::detail
