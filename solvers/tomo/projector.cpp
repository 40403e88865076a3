// The operator entry points: check the input, lay out the per-angle terms, run the kernels of the
// backend where the arrays live (OpenMP for host memory, CUDA for cuda:k).
#include "xrecon/tomo/projector.hpp"

#include <vector>

#include "angle_tables.hpp"
#include "joseph_kernels.hpp"
#include "validation.hpp"
#include "xrecon/tomo/fbp.hpp"

namespace xrecon::tomo {
namespace {

// Backprojection with the given angle table into a new volume next to the projections.
ArrayF backproject_with(const ArrayF& projections, const Geometry& geometry,
                        const std::vector<kernels::BackprojectionAngle>& angles) {
  const std::size_t slices = projections.extent(1);
  const MemorySpace space = projections.space();
  ArrayF volume(Shape{slices, geometry.n, geometry.n}, space);
  const kernels::ProjectorShape shape = detail::projector_shape(slices, geometry);
  if (space.is_host()) kernels::cpu::backproject(projections.data(), shape, angles, volume.data());
  else kernels::cuda::backproject(space.device, projections.data(), shape, angles, volume.data());
  return volume;
}

}  // namespace

ArrayF project(const ArrayF& volume, const Geometry& geometry) {
  detail::check_geometry(geometry);
  detail::check_volume(volume, geometry);
  const std::size_t slices = volume.extent(0);
  const MemorySpace space = volume.space();
  ArrayF projections(Shape{geometry.angles.size(), slices, geometry.cols}, space);
  const std::vector<AngleTerms> angles = detail::angle_table(geometry);
  const kernels::ProjectorShape shape = detail::projector_shape(slices, geometry);
  if (space.is_host()) kernels::cpu::project(volume.data(), shape, angles, projections.data());
  else kernels::cuda::project(space.device, volume.data(), shape, angles, projections.data());
  return projections;
}

ArrayF backproject(const ArrayF& projections, const Geometry& geometry) {
  detail::check_geometry(geometry);
  detail::check_projections(projections, geometry);
  return backproject_with(projections, geometry, detail::adjoint_angles(geometry));
}

ArrayF backproject_pixel_driven(const ArrayF& projections, const Geometry& geometry, double scale) {
  detail::check_geometry(geometry);
  detail::check_projections(projections, geometry);
  return backproject_with(projections, geometry, detail::pixel_driven_angles(geometry, scale));
}

}  // namespace xrecon::tomo
