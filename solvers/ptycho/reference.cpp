#include "xrecon/ptycho/reference.hpp"

#include <cmath>
#include <numbers>

#include "ptycho_math.hpp"

namespace xrecon::ptycho::reference {
namespace {

using Complex = std::complex<double>;

// exp(sign 2 pi i (k_r y / H + k_c x / W)) / sqrt(H W), k = centred index - n / 2.
Complex dft_kernel(std::size_t cy, std::size_t cx, std::size_t y, std::size_t x, std::size_t rows, std::size_t cols,
                   double sign) {
  const double ky = double(cy) - double(rows / 2), kx = double(cx) - double(cols / 2);
  const double angle = sign * 2 * std::numbers::pi * (ky * double(y) / double(rows) + kx * double(x) / double(cols));
  return std::polar(1.0 / std::sqrt(double(rows * cols)), angle);
}

// The residual df / d conj(F e), centred, for all positions.
ArrayCD farfield_residual(const ArrayF& patterns, const ArrayCD& spectra, Likelihood likelihood) {
  ArrayCD r(spectra.shape());
  for (std::size_t i = 0; i < spectra.size(); ++i)
    r[i] = likelihood == Likelihood::gaussian ? detail::gaussian_residual(spectra[i], std::sqrt(double(patterns[i])))
                                              : detail::poisson_residual(spectra[i], double(patterns[i]), kPoissonEpsilon);
  return r;
}

// F^* of each residual, cut to (rows, cols): the adjoint of zero padding then the DFT.
ArrayCD backpropagate(const ArrayCD& residual, std::size_t rows, std::size_t cols) {
  const std::size_t count = residual.extent(0), detector_rows = residual.extent(1), detector_cols = residual.extent(2);
  ArrayCD back = ArrayCD::zeros(Shape{count, rows, cols});
  for (std::size_t j = 0; j < count; ++j)
    for (std::size_t y = 0; y < rows; ++y)
      for (std::size_t x = 0; x < cols; ++x) {
        Complex sum = 0;
        for (std::size_t cy = 0; cy < detector_rows; ++cy)
          for (std::size_t cx = 0; cx < detector_cols; ++cx)
            sum += dft_kernel(cy, cx, y, x, detector_rows, detector_cols, +1) *
                   residual[(j * detector_rows + cy) * detector_cols + cx];
        back[(j * rows + y) * cols + x] = sum;
      }
  return back;
}

ArrayCD backpropagated_residual(const ArrayF& patterns, const ArrayCD& object, const ArrayCD& probe,
                                const ArrayD& positions, Likelihood likelihood) {
  const ArrayCD spectra = farfield(object, probe, positions, patterns.extent(1), patterns.extent(2));
  return backpropagate(farfield_residual(patterns, spectra, likelihood), probe.extent(0), probe.extent(1));
}

}  // namespace

ArrayCD to_double(const ArrayCF& a) {
  ArrayCD out(a.shape());
  for (std::size_t i = 0; i < a.size(); ++i) out[i] = Complex(a[i]);
  return out;
}

ArrayCD crop(const ArrayCD& object, const ArrayD& positions, std::size_t rows, std::size_t cols) {
  const std::size_t count = positions.extent(0), object_cols = object.extent(1);
  const long object_rows = long(object.extent(0));
  ArrayCD windows(Shape{count, rows, cols});
  for (std::size_t j = 0; j < count; ++j) {
    const detail::BilinearCorner c = detail::bilinear_corner(positions[2 * j], positions[2 * j + 1]);
    for (std::size_t y = 0; y < rows; ++y)
      for (std::size_t x = 0; x < cols; ++x) {
        const long r0 = c.row + long(y), r1 = detail::next_index(r0, object_rows);
        const long c0 = c.col + long(x), c1 = detail::next_index(c0, long(object_cols));
        const auto at = [&](long r, long col) { return object[std::size_t(r) * object_cols + std::size_t(col)]; };
        windows[(j * rows + y) * cols + x] = c.w00 * at(r0, c0) + c.w01 * at(r0, c1) + c.w10 * at(r1, c0) + c.w11 * at(r1, c1);
      }
  }
  return windows;
}

ArrayCD crop_adjoint(const ArrayCD& windows, const ArrayD& positions, std::size_t object_rows, std::size_t object_cols) {
  const std::size_t count = windows.extent(0), rows = windows.extent(1), cols = windows.extent(2);
  ArrayCD object = ArrayCD::zeros(Shape{object_rows, object_cols});
  for (std::size_t j = 0; j < count; ++j) {
    const detail::BilinearCorner c = detail::bilinear_corner(positions[2 * j], positions[2 * j + 1]);
    for (std::size_t y = 0; y < rows; ++y)
      for (std::size_t x = 0; x < cols; ++x) {
        const long r0 = c.row + long(y), r1 = detail::next_index(r0, long(object_rows));
        const long c0 = c.col + long(x), c1 = detail::next_index(c0, long(object_cols));
        const auto at = [&](long r, long col) -> Complex& { return object[std::size_t(r) * object_cols + std::size_t(col)]; };
        const Complex v = windows[(j * rows + y) * cols + x];
        at(r0, c0) += c.w00 * v;
        at(r0, c1) += c.w01 * v;
        at(r1, c0) += c.w10 * v;
        at(r1, c1) += c.w11 * v;
      }
  }
  return object;
}

ArrayCD farfield(const ArrayCD& object, const ArrayCD& probe, const ArrayD& positions, std::size_t detector_rows,
                 std::size_t detector_cols) {
  const std::size_t rows = probe.extent(0), cols = probe.extent(1), count = positions.extent(0);
  const ArrayCD windows = crop(object, positions, rows, cols);
  ArrayCD spectra = ArrayCD::zeros(Shape{count, detector_rows, detector_cols});
  for (std::size_t j = 0; j < count; ++j)
    for (std::size_t cy = 0; cy < detector_rows; ++cy)
      for (std::size_t cx = 0; cx < detector_cols; ++cx) {
        Complex sum = 0;
        for (std::size_t y = 0; y < rows; ++y)
          for (std::size_t x = 0; x < cols; ++x)
            sum += dft_kernel(cy, cx, y, x, detector_rows, detector_cols, -1) * probe[y * cols + x] *
                   windows[(j * rows + y) * cols + x];
        spectra[(j * detector_rows + cy) * detector_cols + cx] = sum;
      }
  return spectra;
}

double cost(const ArrayF& patterns, const ArrayCD& farfield, Likelihood likelihood) {
  double sum = 0;
  for (std::size_t i = 0; i < farfield.size(); ++i)
    sum += likelihood == Likelihood::gaussian
               ? detail::gaussian_cost_term(farfield[i], std::sqrt(double(patterns[i])))
               : detail::poisson_cost_term(farfield[i], double(patterns[i]), kPoissonEpsilon);
  return sum;
}

ArrayCD object_gradient(const ArrayF& patterns, const ArrayCD& object, const ArrayCD& probe, const ArrayD& positions,
                        Likelihood likelihood) {
  ArrayCD back = backpropagated_residual(patterns, object, probe, positions, likelihood);
  const std::size_t frame = probe.size();
  for (std::size_t i = 0; i < back.size(); ++i) back[i] *= std::conj(probe[i % frame]);
  return crop_adjoint(back, positions, object.extent(0), object.extent(1));
}

ArrayCD probe_gradient(const ArrayF& patterns, const ArrayCD& object, const ArrayCD& probe, const ArrayD& positions,
                       Likelihood likelihood) {
  const ArrayCD back = backpropagated_residual(patterns, object, probe, positions, likelihood);
  const ArrayCD windows = crop(object, positions, probe.extent(0), probe.extent(1));
  ArrayCD gradient = ArrayCD::zeros(probe.shape());
  const std::size_t frame = probe.size();
  for (std::size_t i = 0; i < back.size(); ++i) gradient[i % frame] += std::conj(windows[i]) * back[i];
  return gradient;
}

}  // namespace xrecon::ptycho::reference
