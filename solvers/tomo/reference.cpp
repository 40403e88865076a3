// Written for clarity, not speed: explicit coordinates, bounds checks in the innermost loops,
// double precision throughout. Independent of joseph_math.hpp on purpose.
#include "xrecon/tomo/reference.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>
#include <vector>

namespace xrecon::tomo::reference {
namespace {

// Visits every (pixel, weight) pair of the Joseph ray for detector column j at angle theta:
// the ray x cos + y sin = j - center, with x = ix - axis and y = axis - iy, is sampled once per
// row (or per column when it runs closer to the x axis) and each sample splits between its two
// nearest pixels.
template <typename Visit>
void for_each_ray_weight(std::size_t n, double axis, double center, double theta, std::size_t j, Visit&& visit) {
  const double c = std::cos(theta), s = std::sin(theta);
  const double t = double(j) - center;
  const bool march_rows = std::fabs(c) >= std::fabs(s);
  const double ray_length_per_step = 1.0 / (march_rows ? std::fabs(c) : std::fabs(s));
  for (std::size_t line = 0; line < n; ++line) {
    // Marching rows: line is iy, y fixed, the sample's ix from x; marching columns: the reverse.
    const double position = march_rows ? (t - (axis - double(line)) * s) / c + axis
                                       : axis - (t - (double(line) - axis) * c) / s;
    const double lower = std::floor(position);
    const double frac = position - lower;
    for (int side = 0; side < 2; ++side) {
      const double index = lower + side;
      if (index < 0 || index > double(n) - 1) continue;
      const double weight = (side == 0 ? 1.0 - frac : frac) * ray_length_per_step;
      const auto i = static_cast<std::size_t>(index);
      const std::size_t pixel = march_rows ? line * n + i : i * n + line;
      visit(pixel, weight);
    }
  }
}

}  // namespace

ArrayD project(const ArrayF& volume, const Geometry& geometry) {
  const std::size_t slices = volume.extent(0), n = geometry.n, cols = geometry.cols;
  const std::size_t angles = geometry.angles.size();
  ArrayD out = ArrayD::zeros(Shape{angles, slices, cols});
  for (std::size_t k = 0; k < angles; ++k)
    for (std::size_t z = 0; z < slices; ++z)
      for (std::size_t j = 0; j < cols; ++j) {
        double sum = 0;
        for_each_ray_weight(n, geometry.axis(), geometry.center_or_default(), geometry.angles[k], j,
                            [&](std::size_t pixel, double w) { sum += w * volume[z * n * n + pixel]; });
        out[(k * slices + z) * cols + j] = sum;
      }
  return out;
}

ArrayD backproject(const ArrayF& projections, const Geometry& geometry) {
  const std::size_t slices = projections.extent(1), n = geometry.n, cols = geometry.cols;
  ArrayD out = ArrayD::zeros(Shape{slices, n, n});
  for (std::size_t k = 0; k < geometry.angles.size(); ++k)
    for (std::size_t z = 0; z < slices; ++z)
      for (std::size_t j = 0; j < cols; ++j) {
        const double value = projections[(k * slices + z) * cols + j];
        for_each_ray_weight(n, geometry.axis(), geometry.center_or_default(), geometry.angles[k], j,
                            [&](std::size_t pixel, double w) { out[z * n * n + pixel] += w * value; });
      }
  return out;
}

ArrayD backproject_pixel_driven(const ArrayF& projections, const Geometry& geometry) {
  const std::size_t slices = projections.extent(1), n = geometry.n, cols = geometry.cols;
  const double axis = geometry.axis();
  ArrayD out = ArrayD::zeros(Shape{slices, n, n});
  for (std::size_t z = 0; z < slices; ++z)
    for (std::size_t iy = 0; iy < n; ++iy)
      for (std::size_t ix = 0; ix < n; ++ix) {
        const double x = double(ix) - axis, y = axis - double(iy);
        double sum = 0;
        for (std::size_t k = 0; k < geometry.angles.size(); ++k) {
          const double theta = geometry.angles[k];
          const double t = x * std::cos(theta) + y * std::sin(theta) + geometry.center_or_default();
          const double lower = std::floor(t);
          const double frac = t - lower;
          for (int side = 0; side < 2; ++side) {
            const double j = lower + side;
            if (j < 0 || j > double(cols) - 1) continue;
            sum += (side == 0 ? 1.0 - frac : frac) * projections[(k * slices + z) * cols + std::size_t(j)];
          }
        }
        out[(z * n + iy) * n + ix] = sum;
      }
  return out;
}

ArrayD filter_projections(const ArrayF& projections, FilterWindow window) {
  using std::numbers::pi;
  const std::size_t cols = projections.extent(2);
  const std::size_t lines = projections.extent(0) * projections.extent(1);
  const std::size_t length = filter_padded_length(cols), half = length / 2;

  // Spatial discrete ramp on the circle of `length` samples, and its (real) DFT times the window.
  auto ramp = [&](std::size_t k) {
    const std::size_t d = std::min(k, length - k);
    if (d == 0) return 0.25;
    return d % 2 ? -1.0 / (pi * pi * double(d) * double(d)) : 0.0;
  };
  std::vector<std::complex<double>> unit_root(length);
  for (std::size_t q = 0; q < length; ++q) unit_root[q] = std::polar(1.0, -2.0 * pi * double(q) / double(length));
  std::vector<double> response(length);
  for (std::size_t m = 0; m < length; ++m) {
    double sum = 0;
    for (std::size_t k = 0; k < length; ++k) sum += ramp(k) * unit_root[(k * m) % length].real();
    const double frequency = double(std::min(m, length - m)) / double(half);
    response[m] = sum * filter_window_gain(window, frequency);
  }

  ArrayD out = ArrayD::zeros(projections.shape());
  std::vector<std::complex<double>> spectrum(length);
  for (std::size_t line = 0; line < lines; ++line) {
    const float* row = projections.data() + line * cols;
    for (std::size_t m = 0; m < length; ++m) {
      std::complex<double> sum = 0;
      for (std::size_t j = 0; j < cols; ++j) sum += double(row[j]) * unit_root[(m * j) % length];
      spectrum[m] = sum * response[m];
    }
    for (std::size_t j = 0; j < cols; ++j) {
      std::complex<double> sum = 0;
      for (std::size_t m = 0; m < length; ++m) sum += spectrum[m] * std::conj(unit_root[(m * j) % length]);
      out[line * cols + j] = sum.real() / double(length);
    }
  }
  return out;
}

}  // namespace xrecon::tomo::reference
