#pragma once
// Parallel-beam Joseph projector and its exact adjoint (ALGORITHMS.md, tomography).
//
// Geometry, shared by every tomography operator and the phantoms:
// - a slice is n x n pixels, row-major [iy][ix]; the centre of pixel (ix, iy) sits at
//   x = ix - (n-1)/2, y = iy - (n-1)/2 (pixel units);
// - the ray for angle theta and detector column j is { (x, y) : x cos(theta) + y sin(theta) = j - center },
//   center being the column of the rotation axis ((cols-1)/2 by default);
// - volumes are (z, n, n), projections (angles, z, cols): slice z maps to detector row z.
//
// Every operator runs where its arrays live and returns its result there: OpenMP for host memory,
// CUDA on GPU k for MemorySpace::cuda(k) (NotCompiled in a build without CUDA). Arrays passed to
// one call must all be in the same space (InputError otherwise).
#include <cstddef>
#include <vector>

#include "xrecon/array.hpp"

namespace xrecon::tomo {

struct Geometry {
  std::vector<double> angles;  // radians
  std::size_t cols = 0;        // detector columns
  double center = -1;          // < 0: (cols - 1) / 2
  std::size_t n = 0;           // slice width and height in pixels

  double center_or_default() const { return center < 0 ? (double(cols) - 1.0) / 2.0 : center; }
};

// volume (z, n, n) -> projections (angles, z, cols)
ArrayF project(const ArrayF& volume, const Geometry& geometry);
// projections (angles, z, cols) -> volume (z, n, n): the exact adjoint of project()
ArrayF backproject(const ArrayF& projections, const Geometry& geometry);

}  // namespace xrecon::tomo
