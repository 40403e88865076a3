#pragma once
// The rotation-axis parameters of every stage that reads or makes projections: `center` and the
// `convention` it is given in (docs/geometry.md), declared and read in one place so that readers,
// simulators and plugin authors' stages agree.
#include <optional>

#include "xrecon/export.hpp"
#include "xrecon/params.hpp"
#include "xrecon/payload.hpp"

namespace xrecon {

struct AxisOptions {
  std::optional<double> center;  // detector column of the axis; the convention's default when absent
  CentreConvention convention = CentreConvention::tomopy;
};

// Adds `center` and `convention` to a stage's parameters. Readers of measured data default to
// tomopy, what TomoPy and scikit-image users have; simulators to astra, whose detector is
// centred on the phantom (sim.phantom draws it around the slice's centre (n-1)/2).
XRECON_SDK_API ParamSchema& add_axis_params(ParamSchema& params,
                                            CentreConvention default_convention = CentreConvention::tomopy);
XRECON_SDK_API AxisOptions axis_options(const ParamValues& values);

}  // namespace xrecon
