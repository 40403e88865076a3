#pragma once
// Chambolle's projection algorithm for the TV proximal operator in double precision with obvious
// loops, single threaded: what tv::prox must compute (same discretisation, step and iteration
// count; see tv.hpp), and what the tests compare every backend against.
#include "xrecon/array.hpp"
#include "xrecon/tv/tv.hpp"

namespace xrecon::tv::reference {

ArrayD prox(const ArrayF& v, const ProxOptions& options);
double total_variation(const ArrayD& x, Coupling coupling);

}  // namespace xrecon::tv::reference
