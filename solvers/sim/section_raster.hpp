#pragma once
// The one sampler behind every phantom here: a volume is a stack of sub-slices, each cut by a set
// of ellipses (the 2-D phantom, or the sections of ellipsoids and spheres at that height).
#include <cstddef>
#include <vector>

#include "xrecon/array.hpp"
#include "xrecon/sim/phantom.hpp"

namespace xrecon::sim::detail {

// Heights of the nz * z_supersample sub-slices, k = iz * z_supersample + sz: slice iz is centred
// at z = (iz - (nz-1)/2) / (nz/2) and sampled z_supersample times across `thickness` around it.
std::vector<double> sub_slice_heights(std::size_t nz, int z_supersample, double thickness);

// Appends the ellipsoid's section to sections[k] for every height heights[k] it cuts.
void add_sections(const Ellipsoid& ellipsoid, const std::vector<double>& heights,
                  std::vector<std::vector<Ellipse>>& sections);

// Fills `out` with the (nz, ny, nx) volume, C order. sections[k] holds the ellipses cutting
// sub-slice k = iz * z_supersample + sz; every voxel is the mean of z_supersample * supersample^2
// sub-samples of the summed ellipse values.
void rasterize_sections(const std::vector<std::vector<Ellipse>>& sections, std::size_t nz, std::size_t ny,
                        std::size_t nx, int supersample, int z_supersample, float* out);

}  // namespace xrecon::sim::detail
