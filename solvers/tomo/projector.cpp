// The operator entry points: check the input, lay out the per-angle terms, run the kernels.
#include "xrecon/tomo/projector.hpp"

#include <vector>

#include "joseph_kernels.hpp"
#include "validation.hpp"
#include "xrecon/tomo/fbp.hpp"

namespace xrecon::tomo {
namespace {

std::vector<AngleTerms> angle_table(const Geometry& geometry) {
  std::vector<AngleTerms> table;
  table.reserve(geometry.angles.size());
  for (double theta : geometry.angles) table.push_back(angle_terms(theta));
  return table;
}

kernels::ProjectorShape projector_shape(std::size_t slices, const Geometry& geometry) {
  return {.slices = slices, .n = geometry.n, .cols = geometry.cols, .center = geometry.center_or_default()};
}

}  // namespace

ArrayF project(const ArrayF& volume, const Geometry& geometry) {
  detail::check_geometry(geometry);
  detail::check_volume(volume, geometry);
  const std::size_t slices = volume.extent(0);
  ArrayF projections(Shape{geometry.angles.size(), slices, geometry.cols});
  const std::vector<AngleTerms> angles = angle_table(geometry);
  kernels::cpu::project(volume.data(), projector_shape(slices, geometry), angles, projections.data());
  return projections;
}

ArrayF backproject(const ArrayF& projections, const Geometry& geometry) {
  detail::check_geometry(geometry);
  detail::check_projections(projections, geometry);
  const std::size_t slices = projections.extent(1);
  std::vector<kernels::BackprojectionAngle> angles;
  for (const AngleTerms& a : angle_table(geometry)) {
    // The forward spreads a pixel over the detector with a hat of half-width max(|cos|, |sin|),
    // scaled by the ray length per step: the same factor on both.
    const auto inv_width = static_cast<float>(a.inv_width);
    angles.push_back({.terms = a, .inv_width = inv_width, .weight = inv_width});
  }
  ArrayF volume(Shape{slices, geometry.n, geometry.n});
  kernels::cpu::backproject(projections.data(), projector_shape(slices, geometry), angles, volume.data());
  return volume;
}

ArrayF backproject_pixel_driven(const ArrayF& projections, const Geometry& geometry, double scale) {
  detail::check_geometry(geometry);
  detail::check_projections(projections, geometry);
  const std::size_t slices = projections.extent(1);
  std::vector<kernels::BackprojectionAngle> angles;
  for (const AngleTerms& a : angle_table(geometry))
    angles.push_back({.terms = a, .inv_width = 1.0f, .weight = static_cast<float>(scale)});
  ArrayF volume(Shape{slices, geometry.n, geometry.n});
  kernels::cpu::backproject(projections.data(), projector_shape(slices, geometry), angles, volume.data());
  return volume;
}

}  // namespace xrecon::tomo
