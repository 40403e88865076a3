#pragma once
// Scans for the ptychography tests: random complex fields, Gaussian probes, jittered raster
// positions and the noiseless intensities of a model.
#include <cmath>
#include <complex>
#include <random>

#include "xrecon/array.hpp"
#include "xrecon/ptycho/ptycho.hpp"

namespace xrecon::ptycho::fixtures {

// Amplitudes in [0.5, 1.5), phases in [-pi, pi): away from |z| = 0, where the Gaussian cost bends.
inline ArrayCF random_complex(Shape shape, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> amplitude(0.5f, 1.5f), phase(-3.14159265f, 3.14159265f);
  ArrayCF a(shape);
  for (auto& v : a.host_span()) v = std::polar(amplitude(rng), phase(rng));
  return a;
}

// exp(-r^2 / (2 sigma^2)) about the window's centre, with a gentle phase curvature so that the
// probe is not real.
inline ArrayCF gaussian_probe(std::size_t n, double sigma, double amplitude = 1.0) {
  ArrayCF p(Shape{n, n});
  const double centre = (double(n) - 1) / 2;
  for (std::size_t y = 0; y < n; ++y)
    for (std::size_t x = 0; x < n; ++x) {
      const double r2 = std::pow(double(y) - centre, 2) + std::pow(double(x) - centre, 2);
      p[y * n + x] = std::polar(float(amplitude * std::exp(-r2 / (2 * sigma * sigma))), float(0.02 * r2));
    }
  return p;
}

// A raster of windows `step` apart over an (object_n, object_n) object, each moved by up to
// `jitter` pixels in both directions but kept inside the object.
inline ArrayD raster_positions(std::size_t object_n, std::size_t probe_n, double step, double jitter, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> shift(-jitter, jitter);
  const double last = double(object_n - probe_n);
  const std::size_t per_axis = std::size_t(last / step) + 1;
  ArrayD positions(Shape{per_axis * per_axis, 2});
  for (std::size_t i = 0; i < per_axis; ++i)
    for (std::size_t k = 0; k < per_axis; ++k) {
      const std::size_t j = i * per_axis + k;
      positions[2 * j] = std::clamp(double(i) * step + shift(rng), 0.0, last);
      positions[2 * j + 1] = std::clamp(double(k) * step + shift(rng), 0.0, last);
    }
  return positions;
}

// |F e|^2 of the model at its exact positions: noiseless measurements.
inline ArrayF intensities(const ArrayCF& farfield) {
  ArrayF d(farfield.shape());
  for (std::size_t i = 0; i < d.size(); ++i) d[i] = std::norm(farfield[i]);
  return d;
}

}  // namespace xrecon::ptycho::fixtures
