#include "errors.hpp"

#include <mutex>
#include <new>

#include "xrecon/error.hpp"

namespace xrecon::python {

namespace {

std::mutex kept_mutex;
// A raw reference (released in take_python_error): a py::object may not be destroyed at exit
// without the GIL.
PyObject* kept = nullptr;

}  // namespace

void raise_engine_error(const std::exception_ptr& e, py::object cause) {
  const char* kind = "internal";
  std::string message;
  try {
    std::rethrow_exception(e);
  } catch (const InputError& x) {
    kind = "input";
    message = x.what();
  } catch (const NotCompiled& x) {
    kind = "not_compiled";
    message = x.what();
  } catch (const Cancelled& x) {
    kind = "cancelled";
    message = x.what();
  } catch (const std::bad_alloc& x) {
    kind = "memory";
    message = std::string("out of memory: ") + x.what();
  } catch (const std::exception& x) {
    message = x.what();
  }
  const py::object error = py::module_::import("xrecon.errors").attr("from_engine")(kind, message);
  if (cause) PyException_SetCause(error.ptr(), cause.release().ptr());  // steals the reference
  PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(error.ptr())), error.ptr());
}

void keep_python_error(py::error_already_set& error) {
  std::lock_guard lock(kept_mutex);
  if (kept) return;
  kept = error.value().inc_ref().ptr();
}

py::object take_python_error() {
  std::lock_guard lock(kept_mutex);
  py::object error = py::reinterpret_steal<py::object>(kept);
  kept = nullptr;
  return error;
}

void bind_errors(py::module_&) {
  py::register_exception_translator([](std::exception_ptr p) {
    if (!p) return;
    try {
      std::rethrow_exception(p);
    } catch (const py::error_already_set&) {
      throw;  // already a Python exception
    } catch (const py::builtin_exception&) {
      throw;  // pybind11's own (TypeError for a bad argument, ...)
    } catch (const std::exception&) {
      raise_engine_error(p);
    }
  });
}

}  // namespace xrecon::python
