#include "xrecon/tomo/sirt.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "validation.hpp"

namespace xrecon::tomo {
namespace {

// Sums below this are rays or pixels the geometry barely touches; weighting them would blow up.
constexpr float kMinWeightSum = 1e-6f;

ArrayF filled(Shape shape, float value) {
  ArrayF a(shape);
  std::fill(a.data(), a.data() + a.size(), value);
  return a;
}

// sum -> numerator / sum, or 0 where the sum is too small.
void invert_sums(ArrayF& sums, float numerator) {
  float* s = sums.data();
  const std::size_t size = sums.size();
#pragma omp parallel for schedule(static)
  for (std::size_t i = 0; i < size; ++i) s[i] = s[i] > kMinWeightSum ? numerator / s[i] : 0.0f;
}

void check_options(const SirtOptions& options) {
  XRECON_CHECK(options.relaxation > 0.0 && options.relaxation <= 2.0,
               "SIRT relaxation must be in (0, 2], got " + std::to_string(options.relaxation));
  XRECON_CHECK(!options.min || std::isfinite(*options.min), "SIRT min must be finite");
  XRECON_CHECK(!options.max || std::isfinite(*options.max), "SIRT max must be finite");
  XRECON_CHECK(!options.min || !options.max || *options.min <= *options.max,
               "SIRT min (" + std::to_string(*options.min) + ") exceeds max (" + std::to_string(*options.max) + ")");
}

}  // namespace

void sirt(const ArrayF& projections, const Geometry& geometry, ArrayF& volume, const SirtOptions& options) {
  check_options(options);
  detail::check_geometry(geometry);
  detail::check_projections(projections, geometry);
  detail::check_volume(volume, geometry, "the SIRT start volume");
  XRECON_CHECK(volume.extent(0) == projections.extent(1),
               "the SIRT start volume has " + std::to_string(volume.extent(0)) + " slices but the projections have " +
                   std::to_string(projections.extent(1)) + " rows");

  ArrayF ray_weights = project(filled(volume.shape(), 1.0f), geometry);
  invert_sums(ray_weights, 1.0f);
  ArrayF pixel_weights = backproject(filled(projections.shape(), 1.0f), geometry);
  invert_sums(pixel_weights, static_cast<float>(options.relaxation));

  const float lo = options.min ? static_cast<float>(*options.min) : -std::numeric_limits<float>::infinity();
  const float hi = options.max ? static_cast<float>(*options.max) : std::numeric_limits<float>::infinity();
  const float* b = projections.data();
  const float* r_weight = ray_weights.data();
  const float* c_weight = pixel_weights.data();
  const std::size_t ray_count = projections.size(), pixel_count = volume.size();
  float* x = volume.data();

  for (std::size_t iteration = 1; iteration <= options.iterations; ++iteration) {
    ArrayF residual = project(volume, geometry);
    float* r = residual.data();
    double squared_norm = 0.0;
#pragma omp parallel for reduction(+ : squared_norm) schedule(static)
    for (std::size_t i = 0; i < ray_count; ++i) {
      const float difference = b[i] - r[i];
      squared_norm += double(difference) * difference;
      r[i] = r_weight[i] * difference;
    }
    const ArrayF correction = backproject(residual, geometry);
    const float* dx = correction.data();
#pragma omp parallel for schedule(static)
    for (std::size_t i = 0; i < pixel_count; ++i) x[i] = std::clamp(x[i] + c_weight[i] * dx[i], lo, hi);
    if (options.on_iteration) options.on_iteration({iteration, options.iterations, std::sqrt(squared_norm)});
  }
}

}  // namespace xrecon::tomo
