#pragma once
// The one sampler behind every phantom here: a volume is a stack of sub-slices, each cut by a set
// of ellipses (the 2-D phantom, or the sections of ellipsoids and spheres at that height).
#include <cstddef>
#include <vector>

#include "xrecon/array.hpp"
#include "xrecon/sim/phantom.hpp"

namespace xrecon::sim::detail {

// Normalised coordinate of sub-sample j of `count` evenly spread over [-1, 1].
inline double sub_sample_coordinate(std::size_t j, std::size_t count) {
  return 2.0 * (double(j) + 0.5) / double(count) - 1.0;
}

// Appends the ellipsoid's section to every sub-slice it cuts (sections.size() sub-slices spread
// over [-1, 1]), visiting only the sub-slices within its z extent.
void add_sections(const Ellipsoid& ellipsoid, std::vector<std::vector<Ellipse>>& sections);

// Fills `out` with the (nz, ny, nx) volume, C order. sections[k] holds the ellipses cutting sub-slice k (of nz * z_supersample,
// at height sub_sample_coordinate(k, nz * z_supersample)); every voxel is the mean of
// z_supersample * supersample^2 sub-samples of the summed ellipse values.
void rasterize_sections(const std::vector<std::vector<Ellipse>>& sections, std::size_t nz, std::size_t ny,
                        std::size_t nx, int supersample, int z_supersample, float* out);

}  // namespace xrecon::sim::detail
