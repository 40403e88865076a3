#include "xrecon/tomo/memory_need.hpp"

namespace xrecon::tomo {
namespace {

// One slice of the volume and one detector row of every projection, in bytes.
std::size_t image_bytes(const Geometry& g) { return g.n * g.n * sizeof(float); }
std::size_t sinogram_bytes(const Geometry& g) { return g.angles.size() * g.cols * sizeof(float); }

}  // namespace

MemoryNeed sirt_memory(const Geometry& geometry) {
  // Images: the volume, the pixel weights, the correction. Sinograms: the projections, the ray
  // weights, the residual. (Computing the weights holds less: the ones it projects die first.)
  return {.fixed = 0, .per_slice = 3 * image_bytes(geometry) + 3 * sinogram_bytes(geometry)};
}

MemoryNeed cgls_memory(const Geometry& geometry, bool proximal) {
  // Images: x, s, p, and the next s (A^T r) made before the last is released; v when proximal.
  // Sinograms: b, r, q.
  const std::size_t images = proximal ? 5 : 4;
  return {.fixed = 0, .per_slice = images * image_bytes(geometry) + 3 * sinogram_bytes(geometry)};
}

}  // namespace xrecon::tomo
