// xrecon._core: the compiled half of the Python package. The pure-Python half (python/xrecon)
// gives these functions their keyword arguments, defaults and documentation.
#include <pybind11/pybind11.h>

#include "arrays.hpp"
#include "errors.hpp"
#include "pipelines.hpp"
#include "xrecon/memory.hpp"
#include "xrecon/version.hpp"

namespace xrecon::python {
void bind_tomo(py::module_& m);
void bind_ptycho(py::module_& m);
void bind_enhance(py::module_& m);
void bind_python_prior(py::module_& m);
void bind_python_stage(py::module_& m);
}  // namespace xrecon::python

PYBIND11_MODULE(_core, m) {
  using namespace xrecon::python;
  m.doc() = "xrecon's engine, SDK and numerics (internal; use the xrecon package)";
  m.attr("version") = XRECON_VERSION_STRING;
  m.attr("sdk_abi") = XRECON_SDK_ABI_STRING;
  m.attr("build_tag") = XRECON_BUILD_TAG;
  m.def("cuda_compiled", &xrecon::cuda_compiled);
  bind_errors(m);
  bind_arrays(m);
  bind_pipelines(m);
  bind_python_prior(m);
  bind_python_stage(m);
  bind_tomo(m);
  bind_ptycho(m);
  bind_enhance(m);
}
