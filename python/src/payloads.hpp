#pragma once
// A pipeline's messages as Python values: a Volume or an ImageStack is its NumPy array; the
// payloads that carry geometry (Projections, PtychoScan, ComplexProjections) become the
// package's dataclasses (python/xrecon/payloads.py) holding NumPy arrays.
#include <pybind11/pybind11.h>

#include "xrecon/payload.hpp"

namespace xrecon::python {

namespace py = pybind11;

py::object to_python(const Payload& payload);

}  // namespace xrecon::python
