#include "angle_tables.hpp"

namespace xrecon::tomo::detail {

kernels::ProjectorShape projector_shape(std::size_t slices, const Geometry& geometry) {
  return {.slices = slices, .n = geometry.n, .cols = geometry.cols, .center = geometry.center_or_default(),
          .axis = geometry.axis()};
}

std::vector<AngleTerms> angle_table(const Geometry& geometry) {
  std::vector<AngleTerms> table;
  table.reserve(geometry.angles.size());
  for (double theta : geometry.angles) table.push_back(angle_terms(theta));
  return table;
}

std::vector<kernels::BackprojectionAngle> adjoint_angles(const Geometry& geometry) {
  std::vector<kernels::BackprojectionAngle> angles;
  angles.reserve(geometry.angles.size());
  for (const AngleTerms& a : angle_table(geometry)) {
    // The forward spreads a pixel over the detector with a hat of half-width max(|cos|, |sin|),
    // scaled by the ray length per step: the same factor on both.
    const auto inv_width = static_cast<float>(a.inv_width);
    angles.push_back({.terms = a, .inv_width = inv_width, .weight = inv_width});
  }
  return angles;
}

std::vector<kernels::BackprojectionAngle> pixel_driven_angles(const Geometry& geometry, double scale) {
  std::vector<kernels::BackprojectionAngle> angles;
  angles.reserve(geometry.angles.size());
  for (const AngleTerms& a : angle_table(geometry))
    angles.push_back({.terms = a, .inv_width = 1.0f, .weight = static_cast<float>(scale)});
  return angles;
}

}  // namespace xrecon::tomo::detail
