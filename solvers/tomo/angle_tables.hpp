#pragma once
// The per-angle tables and shapes the projector kernels take, built from a geometry on the host;
// every backend gets the same values.
#include <cstddef>
#include <vector>

#include "joseph_kernels.hpp"
#include "xrecon/tomo/projector.hpp"

namespace xrecon::tomo::detail {

kernels::ProjectorShape projector_shape(std::size_t slices, const Geometry& geometry);

std::vector<AngleTerms> angle_table(const Geometry& geometry);

// Weights of the exact adjoint of project().
std::vector<kernels::BackprojectionAngle> adjoint_angles(const Geometry& geometry);

// Linear interpolation at each pixel centre's detector position, every angle weighted `scale`.
std::vector<kernels::BackprojectionAngle> pixel_driven_angles(const Geometry& geometry, double scale);

}  // namespace xrecon::tomo::detail
