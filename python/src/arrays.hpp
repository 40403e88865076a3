#pragma once
// NumPy arrays in and out of the engine's Array<T> through Python's buffer protocol, which every
// NumPy (1.x and 2.x) speaks, so the module does not depend on NumPy's C API or its version.
#include <optional>
#include <string>
#include <vector>

#include <pybind11/pybind11.h>

#include "xrecon/array.hpp"

namespace xrecon::python {

namespace py = pybind11;

// An argument as an Array<T> over the caller's bytes (no copy): refused with an InputError naming
// `what` when it is not a NumPy-style array of T's dtype (float32, float64, complex64), not C
// contiguous, or not of one of the ranks in `ranks`. The array keeps the caller's buffer alive.
template <typename T>
Array<T> borrow(const py::handle& object, const std::string& what, std::vector<std::size_t> ranks);

// A copy the callee may change in place (an iterate's start value), under the same checks.
template <typename T>
Array<T> copy_of(const py::handle& object, const std::string& what, std::vector<std::size_t> ranks) {
  return borrow<T>(object, what, std::move(ranks)).clone();
}

// A writable NumPy array sharing the Array's bytes (device arrays are copied to the host first):
// writes through it reach the Array (a Prior changes its volume in place this way). The NumPy
// array's base object shares the Array's ownership.
template <typename T>
py::object to_numpy(const Array<T>& array);

// "float64", "int32", ... for a buffer format, for messages.
std::string dtype_name(const std::string& format);

void bind_arrays(py::module_& m);

}  // namespace xrecon::python
