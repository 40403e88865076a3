#pragma once
// The parameters of a component written in Python (a Prior or a Stage): its class's `params`
// ({name: default}) as the engine's schema, and the values a pipeline gives back as Python objects.
#include <pybind11/pybind11.h>

#include <string>

#include "xrecon/params.hpp"

namespace xrecon::python {

namespace py = pybind11;

// The type of each parameter is read from its default (bool, int, float, str), so a pipeline
// file's values are checked at validate. `owner` names the component in messages, e.g.
// "Python prior 'py.box'".
ParamSchema schema_of(const py::dict& params, const std::string& owner);

// The values a pipeline gave as keyword arguments for the component's class: each as the Python
// object of its type; components in Python have no role slots.
py::dict python_kwargs(const ParamValues& values);

}  // namespace xrecon::python
