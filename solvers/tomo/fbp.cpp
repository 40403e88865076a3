#include "xrecon/tomo/fbp.hpp"

#include <algorithm>
#include <numbers>

#include "validation.hpp"

namespace xrecon::tomo {

ArrayF fbp(const ArrayF& projections, const Geometry& geometry, const FbpOptions& options) {
  detail::check_geometry(geometry);
  detail::check_projections(projections, geometry);
  const std::size_t angles = projections.extent(0), slices = projections.extent(1), cols = projections.extent(2);
  const std::size_t n = geometry.n;
  // Kak & Slaney: f = (pi / K) sum_k Q_k(x cos + y sin) for K angles spread over [0, pi).
  const double scale = std::numbers::pi / double(angles);

  ArrayF volume(Shape{slices, n, n});
  // One slice at a time keeps the working set small and lets the caller report progress and
  // cancel between slices.
  ArrayF sinogram(Shape{angles, 1, cols});
  for (std::size_t z = 0; z < slices; ++z) {
    for (std::size_t k = 0; k < angles; ++k)
      std::copy_n(projections.data() + (k * slices + z) * cols, cols, sinogram.data() + k * cols);
    const ArrayF image =
        backproject_pixel_driven(filter_projections(sinogram, options.window), geometry, scale);
    std::copy_n(image.data(), n * n, volume.data() + z * n * n);
    if (options.on_slice) options.on_slice(z + 1);
  }
  return volume;
}

}  // namespace xrecon::tomo
