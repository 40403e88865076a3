#pragma once
// Pipelines from Python: the plugin registry of this process, run and validate.
#include <pybind11/pybind11.h>

#include "xrecon/engine/plugin_registry.hpp"

namespace xrecon::python {

namespace py = pybind11;

// The process's registry, made by load_plugins() (python/xrecon/_engine.py calls it on import).
engine::PluginRegistry& registry();

void bind_pipelines(py::module_& m);

}  // namespace xrecon::python
