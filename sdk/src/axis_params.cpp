#include "xrecon/axis_params.hpp"

namespace xrecon {

ParamSchema& add_axis_params(ParamSchema& params, CentreConvention default_convention) {
  return params
      .real("center", std::nullopt,
            "detector column of the rotation axis, sub-pixel (column j's centre is at j); the convention's default "
            "when absent",
            0, {}, "px")
      .choice("convention", to_string(default_convention), {"tomopy", "astra"},
              "tomopy: the axis passes through pixel n/2 of the slice and defaults to column cols/2 (TomoPy gridrec, "
              "scikit-image); astra: through the slice's centre (n-1)/2, default column (cols-1)/2 (ASTRA); "
              "docs/geometry.md");
}

AxisOptions axis_options(const ParamValues& values) {
  return {.center = values.optional_real("center"),
          .convention = values.string("convention") == "astra" ? CentreConvention::astra : CentreConvention::tomopy};
}

}  // namespace xrecon
