#pragma once
// Per-element math of the far-field model, shared by the OpenMP loops and the CUDA kernels
// (docs/architecture.md section 7). Templated on the complex type (std::complex on the CPU,
// cuda::std::complex in the kernels) and its real type, so the double reference uses it too.
#include <cmath>

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

// The adjoint of the crop as a gather (the CUDA scatter kernel: one thread per target pixel, no
// write conflicts inside a window). A window of (rows, cols) samples reaches the (rows + 1,
// cols + 1) footprint of object pixels whose top-left is its corner; footprint pixel (y, x) gets
// the four samples (y, x), (y, x - 1), (y - 1, x), (y - 1, x - 1) with weights w00, w01, w10, w11.
// `sample(y, x)` must be zero outside the window.
template <typename T, typename Sample>
XRECON_HD T footprint_gather(const BilinearCorner& c, long y, long x, const Sample& sample) {
  return c.w00 * sample(y, x) + c.w01 * sample(y, x - 1) + c.w10 * sample(y - 1, x) + c.w11 * sample(y - 1, x - 1);
}

// The object pixel under footprint pixel (y, x), and whether it lies inside the object. Past the
// last row or column only zero weights reach (a window flush with the edge), which the CPU's
// clamped neighbour adds as zeros; before the first row or column (a corner in [-1, 0), which
// check_scan refuses but the operators can still be handed) there is no pixel to write at all.
// Either way the footprint pixel is skipped: a write there would land outside the object.
struct FootprintPixel {
  long row = 0;
  long col = 0;
  bool inside = false;
};

XRECON_HD FootprintPixel footprint_pixel(const BilinearCorner& c, long y, long x, long object_rows, long object_cols) {
  FootprintPixel p;
  p.row = c.row + y;
  p.col = c.col + x;
  p.inside = p.row >= 0 && p.col >= 0 && p.row < object_rows && p.col < object_cols;
  return p;
}

// |z|^2 without the complex type's norm(), which libraries compute differently.
template <typename C>
XRECON_HD auto squared_modulus(const C& z) {
  return z.real() * z.real() + z.imag() * z.imag();
}

// Gaussian: df/d conj(z) of (|z| - a)^2 with a = sqrt(d) is z - a z / |z|. At z = 0 the phase
// z / |z| is undefined (the cost is not differentiable there); 0 is the subgradient of least norm.
// |z| as sqrt(|z|^2): std::abs guards against overflow (hypot) at several times the cost, and
// far-field amplitudes are nowhere near the float range's end.
template <typename C>
XRECON_HD auto modulus_of(const C& z) {
  using std::sqrt;
  return sqrt(squared_modulus(z));
}

template <typename C, typename T>
XRECON_HD C gaussian_residual(const C& z, T amplitude) {
  const T modulus = modulus_of(z);
  return modulus > T(0) ? z * (T(1) - amplitude / modulus) : z;
}

template <typename C, typename T>
XRECON_HD T gaussian_cost_term(const C& z, T amplitude) {
  const T difference = modulus_of(z) - amplitude;
  return difference * difference;
}

// Poisson: df/d conj(z) of |z|^2 - d log(|z|^2 + eps) is z (1 - d / (|z|^2 + eps)).
template <typename C, typename T>
XRECON_HD C poisson_residual(const C& z, T intensity, T epsilon) {
  return z * (T(1) - intensity / (squared_modulus(z) + epsilon));
}

template <typename C, typename T>
XRECON_HD T poisson_cost_term(const C& z, T intensity, T epsilon) {
  using std::log;
  const T model = squared_modulus(z);
  return model - intensity * log(model + epsilon);
}

// cost(z + gamma s) - cost(z) for one element, in double from the float spectra (z_re, z_im) and
// step (s_re, s_im): the line search's per-element difference (likelihood.hpp says why).
XRECON_HD double cost_change_term(double z_re, double z_im, double s_re, double s_im, double gamma, double measured,
                                  bool gaussian, double epsilon) {
  const double a_re = z_re + gamma * s_re, a_im = z_im + gamma * s_im;
  const double old_model = z_re * z_re + z_im * z_im, new_model = a_re * a_re + a_im * a_im;
  if (gaussian) {
    const double after = std::sqrt(new_model) - measured, before = std::sqrt(old_model) - measured;
    return after * after - before * before;
  }
  // log(new + eps) - log(old + eps), accurate when the two are close.
  return (new_model - old_model) - measured * std::log1p((new_model - old_model) / (old_model + epsilon));
}

}  // namespace xrecon::ptycho::detail
