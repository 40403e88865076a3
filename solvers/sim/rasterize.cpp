#include <cmath>
#include <vector>

#include "section_raster.hpp"
#include "xrecon/sim/phantom.hpp"

namespace xrecon::sim {

ArrayF rasterize(const std::vector<Ellipse>& ellipses, std::size_t n, int supersample) {
  ArrayF image(Shape{n, n});
  detail::rasterize_sections({ellipses}, 1, n, n, supersample, 1, image.data());
  return image;
}

std::optional<Ellipse> cross_section(const Ellipsoid& ellipsoid, double z) {
  const double t = (z - ellipsoid.z0) / ellipsoid.c;
  if (t * t >= 1.0) return std::nullopt;
  const double shrink = std::sqrt(1.0 - t * t);
  return Ellipse{ellipsoid.value, ellipsoid.a * shrink, ellipsoid.b * shrink, ellipsoid.x0, ellipsoid.y0,
                 ellipsoid.phi};
}

ArrayF rasterize(const std::vector<Ellipsoid>& ellipsoids, std::size_t nz, std::size_t ny, std::size_t nx,
                 int supersample) {
  XRECON_CHECK(supersample >= 1, "supersample must be at least 1, got " + std::to_string(supersample));
  // A voxel is as thick as a pixel is wide, so a stack of few slices samples thin sections at
  // spread heights instead of averaging thick slabs (whose edges would blur into steps).
  const std::vector<double> heights = detail::sub_slice_heights(nz, supersample, 2.0 / double(nx));
  std::vector<std::vector<Ellipse>> sections(heights.size());
  for (const Ellipsoid& e : ellipsoids) detail::add_sections(e, heights, sections);
  ArrayF volume(Shape{nz, ny, nx});
  detail::rasterize_sections(sections, nz, ny, nx, supersample, supersample, volume.data());
  return volume;
}

}  // namespace xrecon::sim
