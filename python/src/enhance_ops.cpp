// The learned prior's network on NumPy images (xrecon/prior/network.hpp): a model file loaded once
// and bound to a backend, then enhance() per image or slice stack.
#include <memory>
#include <mutex>

#include "arrays.hpp"
#include "xrecon/prior/network.hpp"

namespace xrecon::python {

namespace {

prior::Backend backend_of(const std::string& name) {
  if (name == "auto")
    return prior::backend_available(prior::Backend::onednn) ? prior::Backend::onednn : prior::Backend::reference;
  for (const prior::Backend b : {prior::Backend::reference, prior::Backend::onednn, prior::Backend::cudnn})
    if (name == prior::to_string(b)) {
      if (!prior::backend_available(b))
        throw NotCompiled("backend '" + name + "' is not available in this build or on this machine");
      return b;
    }
  throw InputError("backend '" + name + "': expected auto, reference, onednn or cudnn");
}

// Enhancer is not thread-safe (network.hpp): a lock serialises the callers, who run without the GIL.
class PyEnhancer {
 public:
  PyEnhancer(const std::string& model, const std::string& backend, int tile)
      : backend_(backend_of(backend)),
        enhancer_(prior::load_model(model), backend_, prior::EnhanceOptions{.tile = tile}) {}

  py::object enhance(const py::handle& image) {
    const ArrayF in = borrow<float>(image, "image", {2, 3});
    ArrayF out;
    {
      py::gil_scoped_release release;
      std::lock_guard lock(mutex_);
      out = enhancer_.enhance(in);
    }
    return to_numpy(out);
  }
  py::object enhance_stack(const py::handle& stack) {
    const ArrayF in = borrow<float>(stack, "stack", {3});
    ArrayF out;
    {
      py::gil_scoped_release release;
      std::lock_guard lock(mutex_);
      out = enhancer_.enhance_stack(in);
    }
    return to_numpy(out);
  }
  std::string backend() const { return prior::to_string(backend_); }
  int input_channels() const { return enhancer_.model().input_channels; }
  int size_multiple() const { return enhancer_.model().size_multiple; }

 private:
  prior::Backend backend_;
  prior::Enhancer enhancer_;
  std::mutex mutex_;
};

}  // namespace

void bind_enhance(py::module_& m) {
  py::class_<PyEnhancer>(m, "_Enhancer")
      .def(py::init<const std::string&, const std::string&, int>(), py::arg("model"), py::arg("backend"),
           py::arg("tile"))
      .def("enhance", &PyEnhancer::enhance, py::arg("image"))
      .def("enhance_stack", &PyEnhancer::enhance_stack, py::arg("stack"))
      .def_property_readonly("backend", &PyEnhancer::backend)
      .def_property_readonly("input_channels", &PyEnhancer::input_channels)
      .def_property_readonly("size_multiple", &PyEnhancer::size_multiple);
}

}  // namespace xrecon::python
