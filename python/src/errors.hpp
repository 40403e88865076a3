#pragma once
// The engine's exceptions as the package's Python exceptions (python/xrecon/errors.py):
// xrecon::InputError -> xrecon.InputError (a ValueError; xrecon.PipelineError when the message
// holds file:line:column diagnostics), NotCompiled -> xrecon.NotCompiledError, any other
// failure -> xrecon.EngineError (a RuntimeError).
#include <exception>
#include <pybind11/pybind11.h>

namespace xrecon::python {

namespace py = pybind11;

// Sets the Python error for the exception `e` was thrown with; `cause` (may be empty) becomes
// its __cause__ (the Python exception a Prior raised inside a run).
void raise_engine_error(const std::exception_ptr& e, py::object cause = {});

// Where a Prior's Python exception waits until the run that it failed returns; the first one wins.
void keep_python_error(py::error_already_set& error);
py::object take_python_error();

void bind_errors(py::module_& m);

}  // namespace xrecon::python
