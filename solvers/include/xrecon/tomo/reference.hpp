#pragma once
// Plain double-precision implementations with obvious loops, single threaded. They define what
// the optimised operators must compute and are what the tests and benchmarks compare against.
#include "xrecon/array.hpp"
#include "xrecon/tomo/fbp.hpp"
#include "xrecon/tomo/projector.hpp"

namespace xrecon::tomo::reference {

// Joseph projection: volume (slices, n, n) -> projections (angles, slices, cols).
ArrayD project(const ArrayF& volume, const Geometry& geometry);
// The transpose of project(), written as its scatter: every sample's weights pushed back.
ArrayD backproject(const ArrayF& projections, const Geometry& geometry);
// Linear interpolation at each pixel centre's detector position, summed over angles.
ArrayD backproject_pixel_driven(const ArrayF& projections, const Geometry& geometry);
// Circular convolution of each zero-padded detector row with the windowed ramp, by a direct DFT.
ArrayD filter_projections(const ArrayF& projections, FilterWindow window);

}  // namespace xrecon::tomo::reference
