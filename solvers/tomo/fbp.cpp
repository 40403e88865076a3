#include "xrecon/tomo/fbp.hpp"

#include <algorithm>
#include <numbers>

#include "angle_tables.hpp"
#include "fbp_kernels.hpp"
#include "ramp_response.hpp"
#include "validation.hpp"

namespace xrecon::tomo {
namespace {

// One slice at a time keeps the working set small and lets the caller report progress and cancel
// between slices.
ArrayF fbp_on_host(const ArrayF& projections, const Geometry& geometry, const FbpOptions& options, double scale) {
  const std::size_t angles = projections.extent(0), slices = projections.extent(1), cols = projections.extent(2);
  const std::size_t n = geometry.n;
  ArrayF volume(Shape{slices, n, n});
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

// Groups of slices at a time (fbp_cuda.cu): one slice is too little work to fill a GPU.
ArrayF fbp_on_device(const ArrayF& projections, const Geometry& geometry, const FbpOptions& options, double scale) {
  const std::size_t slices = projections.extent(1);
  const MemorySpace space = projections.space();
  ArrayF volume(Shape{slices, geometry.n, geometry.n}, space);
  kernels::cuda::fbp(space.device, projections.data(), detail::projector_shape(slices, geometry),
                     detail::ramp_response(filter_padded_length(geometry.cols), options.window),
                     detail::pixel_driven_angles(geometry, scale), options.on_slice, volume.data());
  return volume;
}

}  // namespace

ArrayF fbp(const ArrayF& projections, const Geometry& geometry, const FbpOptions& options) {
  detail::check_geometry(geometry);
  detail::check_projections(projections, geometry);
  // Kak & Slaney: f = (pi / K) sum_k Q_k(x cos + y sin) for K angles spread over [0, pi).
  const double scale = std::numbers::pi / double(projections.extent(0));
  return projections.space().is_host() ? fbp_on_host(projections, geometry, options, scale)
                                       : fbp_on_device(projections, geometry, options, scale);
}

}  // namespace xrecon::tomo
