#pragma once
// Checks of user input shared by the tomography operators; each throws InputError (XRECON_CHECK)
// with a message that names the offending value and where it is.
#include <string_view>

#include "xrecon/array.hpp"
#include "xrecon/tomo/projector.hpp"

namespace xrecon::tomo::detail {

// Angles present and finite, detector and slice sizes positive, rotation axis on the detector.
void check_geometry(const Geometry& geometry);

// (slices, n, n) in host memory, every value finite.
void check_volume(const ArrayF& volume, const Geometry& geometry, std::string_view name = "volume");

// (angles, rows, cols) in host memory, none of them zero, every value finite.
void check_projection_array(const ArrayF& projections);

// check_projection_array() and the extents the geometry expects.
void check_projections(const ArrayF& projections, const Geometry& geometry);

}  // namespace xrecon::tomo::detail
