#pragma once
// Small helpers shared by the tomography tests: random data, angle sets, norms, analytic sinograms.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numbers>
#include <random>
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "xrecon/array.hpp"
#include "xrecon/sim/phantom.hpp"
#include "xrecon/tomo/projector.hpp"

namespace xrecon::tomo::fixtures {

inline ArrayF random_array(Shape shape, unsigned seed, float lo = 0.0f, float hi = 1.0f) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  ArrayF a(shape);
  for (float& v : a.host_span()) v = dist(rng);
  return a;
}

// count angles spread evenly over [0, pi)
inline std::vector<double> uniform_angles(std::size_t count) {
  std::vector<double> angles(count);
  for (std::size_t k = 0; k < count; ++k) angles[k] = std::numbers::pi * double(k) / double(count);
  return angles;
}

inline double degrees(double d) { return d * std::numbers::pi / 180.0; }

template <typename A, typename B>
double dot(const A& a, const B& b) {
  double sum = 0;
  for (std::size_t i = 0; i < a.size(); ++i) sum += double(a[i]) * double(b[i]);
  return sum;
}

template <typename A>
double norm(const A& a) {
  return std::sqrt(dot(a, a));
}

// ||a - b|| / ||b||
template <typename A, typename B>
double relative_l2(const A& a, const B& b) {
  double diff = 0, ref = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const double d = double(a[i]) - double(b[i]);
    diff += d * d;
    ref += double(b[i]) * double(b[i]);
  }
  return std::sqrt(diff / ref);
}

// max |a - b| / max |b|
template <typename A, typename B>
double relative_max(const A& a, const B& b) {
  double diff = 0, ref = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff = std::max(diff, std::fabs(double(a[i]) - double(b[i])));
    ref = std::max(ref, std::fabs(double(b[i])));
  }
  return diff / ref;
}

// Root mean square difference over the pixels of an n x n image inside the disc of radius
// `radius` (normalised units) around the centre.
inline double rmse_in_disc(const ArrayF& image, const ArrayF& truth, std::size_t n, double radius) {
  const double half = (double(n) - 1.0) / 2.0, scale = double(n) / 2.0;
  double sum = 0;
  std::size_t count = 0;
  for (std::size_t iy = 0; iy < n; ++iy)
    for (std::size_t ix = 0; ix < n; ++ix) {
      const double x = (double(ix) - half) / scale, y = (double(iy) - half) / scale;
      if (x * x + y * y > radius * radius) continue;
      const double d = double(image[iy * n + ix]) - double(truth[iy * n + ix]);
      sum += d * d;
      ++count;
    }
  return std::sqrt(sum / double(count));
}

// Exact line integrals in pixel units, one slice: (angles, 1, cols) for an n x n image.
inline ArrayF analytic_sinogram(const std::vector<sim::Ellipse>& ellipses, const Geometry& geometry) {
  const double scale = double(geometry.n) / 2.0;
  // rasterize() centres the phantom on pixel (n-1)/2, which lies at x = d, y = -d from the axis
  // (projector.hpp): half a pixel off it in the tomopy convention when n is even.
  const double d = (double(geometry.n) - 1.0) / 2.0 - geometry.axis();
  ArrayF sinogram(Shape{geometry.angles.size(), 1, geometry.cols});
  for (std::size_t k = 0; k < geometry.angles.size(); ++k) {
    const double theta = geometry.angles[k];
    const double phantom_offset = d * std::cos(theta) - d * std::sin(theta);
    for (std::size_t j = 0; j < geometry.cols; ++j)
      sinogram[k * geometry.cols + j] = static_cast<float>(
          scale * sim::line_integral(ellipses, (double(j) - geometry.center_or_default() - phantom_offset) / scale, theta));
  }
  return sinogram;
}

// Fails the test unless `call` throws an InputError whose message contains `expected`.
inline void expect_input_error(const std::function<void()>& call, const std::string& expected) {
  try {
    call();
    ADD_FAILURE() << "no error; expected one saying '" << expected << "'";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << "message: " << e.what();
  }
}

}  // namespace xrecon::tomo::fixtures
