#include "validation.hpp"

#include <cmath>
#include <string>

#include "xrecon/linalg/array_ops.hpp"

namespace xrecon::tomo::detail {
namespace {

// Index of the first value that is NaN or infinite, or `size` when there is none.
std::size_t first_non_finite(const float* data, std::size_t size) {
  std::size_t first = size;
#pragma omp parallel for reduction(min : first) schedule(static)
  for (std::size_t i = 0; i < size; ++i)
    if (!std::isfinite(data[i]) && i < first) first = i;
  return first;
}

std::string describe_non_finite(float value) { return std::isnan(value) ? "NaN" : "an infinite value"; }

void check_finite(const ArrayF& array, const std::string& subject, const char* axis0, const char* axis1,
                  const char* axis2) {
  // On a GPU one reduction tells whether anything is wrong (a sum of squares of floats in double
  // is finite exactly when every value is); only then is the array copied to find where.
  if (!array.space().is_host() && std::isfinite(linalg::squared_norm(array))) return;
  const ArrayF host = array.space().is_host() ? array : array.to(MemorySpace::host());
  const std::size_t bad = first_non_finite(host.data(), host.size());
  if (bad == host.size()) return;
  const std::size_t plane = host.extent(1) * host.extent(2);
  XRECON_CHECK(false, subject + " " + describe_non_finite(host[bad]) + " at " + axis0 + " " +
                          std::to_string(bad / plane) + ", " + axis1 + " " +
                          std::to_string(bad % plane / host.extent(2)) + ", " + axis2 + " " +
                          std::to_string(bad % host.extent(2)));
}

}  // namespace

void check_geometry(const Geometry& geometry) {
  XRECON_CHECK(!geometry.angles.empty(), "the list of projection angles is empty");
  for (std::size_t k = 0; k < geometry.angles.size(); ++k)
    XRECON_CHECK(std::isfinite(geometry.angles[k]), "projection angle " + std::to_string(k) + " is not finite");
  XRECON_CHECK(geometry.cols > 0, "the detector has no columns");
  XRECON_CHECK(geometry.n > 0, "the slice width n must be positive");
  const double center = geometry.center_or_default();
  XRECON_CHECK(std::isfinite(center) && center <= double(geometry.cols) - 1.0,
               "the center of rotation " + std::to_string(center) + " lies outside the detector [0, " +
                   std::to_string(geometry.cols - 1) + "]");
}

void check_volume(const ArrayF& volume, const Geometry& geometry, std::string_view name) {
  XRECON_CHECK(volume.rank() == 3 && volume.extent(1) == geometry.n && volume.extent(2) == geometry.n,
               std::string(name) + " must have shape (slices, " + std::to_string(geometry.n) + ", " +
                   std::to_string(geometry.n) + "), got " + volume.shape().to_string());
  XRECON_CHECK(volume.extent(0) > 0, std::string(name) + " has no slices");
  check_finite(volume, std::string(name) + " contains", "slice", "row", "col");
}

void check_projection_array(const ArrayF& projections) {
  XRECON_CHECK(projections.rank() == 3 && !projections.empty(),
               "projections must have shape (angles, rows, cols) with none of them 0, got " +
                   projections.shape().to_string());
  check_finite(projections, "projections contain", "angle", "row", "col");
}

void check_projections(const ArrayF& projections, const Geometry& geometry) {
  XRECON_CHECK(projections.rank() == 3,
               "projections must have shape (angles, rows, cols), got " + projections.shape().to_string());
  XRECON_CHECK(projections.extent(0) == geometry.angles.size(),
               "projections have " + std::to_string(projections.extent(0)) + " angles but the geometry lists " +
                   std::to_string(geometry.angles.size()));
  XRECON_CHECK(projections.extent(2) == geometry.cols,
               "projections have " + std::to_string(projections.extent(2)) +
                   " detector columns but the geometry says " + std::to_string(geometry.cols));
  check_projection_array(projections);
}

void check_same_space(const ArrayF& projections, const ArrayF& volume, std::string_view volume_name) {
  XRECON_CHECK(projections.space() == volume.space(), "the projections are in " + projections.space().to_string() +
                                                          " but " + std::string(volume_name) + " is in " +
                                                          volume.space().to_string() + "; both must be in one place");
}

}  // namespace xrecon::tomo::detail
