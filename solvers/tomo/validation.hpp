#pragma once
// Checks of user input shared by the tomography operators; each throws InputError (XRECON_CHECK)
// with a message that names the offending value and where it is.
#include <string_view>

#include "xrecon/array.hpp"
#include "xrecon/tomo/projector.hpp"

namespace xrecon::tomo::detail {

// Angles present and finite, detector and slice sizes positive, rotation axis on the detector.
void check_geometry(const Geometry& geometry);

// Arrays may be in any memory space; the operators run where their arrays are.

// (slices, n, n), every value finite.
void check_volume(const ArrayF& volume, const Geometry& geometry, std::string_view name = "volume");

// (angles, rows, cols), none of them zero, every value finite.
void check_projection_array(const ArrayF& projections);

// check_projection_array() and the extents the geometry expects.
void check_projections(const ArrayF& projections, const Geometry& geometry);

// Both arrays of one call in the same memory space.
void check_same_space(const ArrayF& projections, const ArrayF& volume, std::string_view volume_name = "the volume");

}  // namespace xrecon::tomo::detail
