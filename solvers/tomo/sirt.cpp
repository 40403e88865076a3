#include "xrecon/tomo/sirt.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "validation.hpp"
#include "xrecon/linalg/array_ops.hpp"

namespace xrecon::tomo {
namespace {

// Sums below this are rays or pixels the geometry barely touches; weighting them would blow up.
constexpr float kMinWeightSum = 1e-6f;

ArrayF filled(Shape shape, MemorySpace space, float value) {
  ArrayF a(shape, space);
  linalg::fill(a, value);
  return a;
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

// Written with the array operations only, so the same loop runs on the CPU and on a GPU.
void sirt(const ArrayF& projections, const Geometry& geometry, ArrayF& volume, const SirtOptions& options) {
  check_options(options);
  detail::check_geometry(geometry);
  detail::check_projections(projections, geometry);
  detail::check_volume(volume, geometry, "the SIRT start volume");
  detail::check_same_space(projections, volume, "the SIRT start volume");
  XRECON_CHECK(volume.extent(0) == projections.extent(1),
               "the SIRT start volume has " + std::to_string(volume.extent(0)) + " slices but the projections have " +
                   std::to_string(projections.extent(1)) + " rows");

  const MemorySpace space = volume.space();
  ArrayF ray_weights = project(filled(volume.shape(), space, 1.0f), geometry);
  linalg::invert_above(ray_weights, kMinWeightSum, 1.0f);
  ArrayF pixel_weights = backproject(filled(projections.shape(), space, 1.0f), geometry);
  linalg::invert_above(pixel_weights, kMinWeightSum, static_cast<float>(options.relaxation));

  const float lo = options.min ? static_cast<float>(*options.min) : -std::numeric_limits<float>::infinity();
  const float hi = options.max ? static_cast<float>(*options.max) : std::numeric_limits<float>::infinity();
  for (std::size_t iteration = 1; iteration <= options.iterations; ++iteration) {
    ArrayF residual = project(volume, geometry);
    linalg::xpay(projections, -1.0f, residual);  // b - A x
    const double squared_norm = linalg::squared_norm(residual);
    linalg::multiply(ray_weights, residual);
    const ArrayF correction = backproject(residual, geometry);
    linalg::weighted_axpy(pixel_weights, correction, volume);
    linalg::clamp(volume, lo, hi);
    if (options.on_iteration) options.on_iteration({iteration, options.iterations, std::sqrt(squared_norm)});
  }
}

}  // namespace xrecon::tomo
