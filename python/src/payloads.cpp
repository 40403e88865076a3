#include "payloads.hpp"

#include <pybind11/stl.h>

#include "arrays.hpp"

namespace xrecon::python {

py::object to_python(const Payload& payload) {
  const py::module_ classes = py::module_::import("xrecon.payloads");
  switch (payload.kind()) {
    case PayloadKind::volume:
      return to_numpy(static_cast<const Volume&>(payload).data);
    case PayloadKind::image_stack:
      return to_numpy(static_cast<const ImageStack&>(payload).data);
    case PayloadKind::projections: {
      const auto& p = static_cast<const Projections&>(payload);
      return classes.attr("Projections")(to_numpy(p.data), py::cast(p.angles), p.center_or_default(),
                                         to_string(p.convention), p.pixel_size);
    }
    case PayloadKind::complex_projections: {
      const auto& p = static_cast<const ComplexProjections&>(payload);
      return classes.attr("ComplexProjections")(to_numpy(p.data), py::cast(p.angles));
    }
    case PayloadKind::ptycho_scan: {
      const auto& s = static_cast<const PtychoScan&>(payload);
      return classes.attr("PtychoScan")(to_numpy(s.patterns), to_numpy(s.positions), to_numpy(s.probe),
                                        py::make_tuple(s.object_rows, s.object_cols), s.angle, s.energy,
                                        s.distance, s.detector_pixel);
    }
  }
  throw Error("a payload of an unknown kind");
}

}  // namespace xrecon::python
