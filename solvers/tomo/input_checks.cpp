#include "xrecon/tomo/input_checks.hpp"

#include "validation.hpp"

namespace xrecon::tomo {

void check_projections(const ArrayF& projections, const Geometry& geometry) {
  detail::check_geometry(geometry);
  detail::check_projections(projections, geometry);
}

}  // namespace xrecon::tomo
