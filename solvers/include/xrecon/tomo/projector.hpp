#pragma once
// Parallel-beam Joseph projector and its exact adjoint (ALGORITHMS.md, tomography).
//
// Geometry, shared by every tomography operator, the same as TomoPy's, ASTRA's and scikit-image's
// (docs/geometry.md):
// - a slice is n x n pixels, row-major [iy][ix], row 0 on top; the centre of pixel (ix, iy) sits
//   at x = ix - g, y = g - iy (pixel units, y upwards), g = axis_pixel(n, convention): n / 2
//   (integer division) in the tomopy convention, (n-1)/2 in the astra one;
// - the ray for angle theta and detector column j is { (x, y) : x cos(theta) + y sin(theta) = j - center },
//   center being the column of the rotation axis (default_center(cols, convention) by default):
//   at theta = 0 the detector looks along y and column j sees x = j - center; as theta grows the
//   object turns clockwise on the screen (counter-clockwise with y up);
// - volumes are (z, n, n), projections (angles, z, cols): slice z maps to detector row z.
//
// Every operator runs where its arrays live and returns its result there: OpenMP for host memory,
// CUDA on GPU k for MemorySpace::cuda(k) (NotCompiled in a build without CUDA). Arrays passed to
// one call must all be in the same space (InputError otherwise).
#include <cstddef>
#include <vector>

#include "xrecon/array.hpp"
#include "xrecon/payload.hpp"

namespace xrecon::tomo {

struct Geometry {
  std::vector<double> angles;  // radians
  std::size_t cols = 0;        // detector columns
  double center = -1;          // < 0: default_center(cols, convention)
  std::size_t n = 0;           // slice width and height in pixels
  CentreConvention convention = CentreConvention::tomopy;

  double center_or_default() const { return center < 0 ? default_center(cols, convention) : center; }
  // The pixel coordinate g of the rotation axis on the slice (both x and y).
  double axis() const { return axis_pixel(n, convention); }
};

// The geometry of a Projections payload (its angles, columns, axis and convention) for slices n
// pixels wide: what a solver builds, so that a payload's convention is never dropped.
inline Geometry geometry_of(const Projections& projections, std::size_t n) {
  return {.angles = projections.angles,
          .cols = projections.num_cols(),
          .center = projections.center_or_default(),
          .n = n,
          .convention = projections.convention};
}

// volume (z, n, n) -> projections (angles, z, cols)
ArrayF project(const ArrayF& volume, const Geometry& geometry);
// projections (angles, z, cols) -> volume (z, n, n): the exact adjoint of project()
ArrayF backproject(const ArrayF& projections, const Geometry& geometry);

}  // namespace xrecon::tomo
