#pragma once
// The checks the tomography operators make of their input, for callers that split the input
// (into slabs across devices) before calling them: checked whole, the messages name the angle,
// row and column of the whole data, not of a slab. Each throws InputError.
#include "xrecon/array.hpp"
#include "xrecon/tomo/projector.hpp"

namespace xrecon::tomo {

// The geometry (angles present and finite, rotation axis on the detector) and projections
// (angles, rows, cols) that match it, every value finite.
void check_projections(const ArrayF& projections, const Geometry& geometry);

}  // namespace xrecon::tomo
