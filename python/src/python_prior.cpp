// A Prior role written in Python: a subclass of xrecon.Prior registered under a component name,
// which tomo.admm and joint.admm then host by that name like a C++ plugin's prior. The engine
// calls it on its stage threads; the GIL is taken only inside each call.
#include <pybind11/stl.h>

#include "arrays.hpp"
#include "errors.hpp"
#include "pipelines.hpp"
#include "python_params.hpp"
#include "xrecon/roles.hpp"
#include "xrecon/version.hpp"

namespace xrecon::python {

namespace {

// Python's exception as an engine error naming the prior; the exception itself waits for the
// run to return (errors.hpp), where it becomes the __cause__ of the error xrecon.run raises.
[[noreturn]] void rethrow_python_error(py::error_already_set& e, const std::string& name, const char* call) {
  const std::string text = std::string(py::str(e.type().attr("__name__"))) + ": " + std::string(py::str(e.value()));
  keep_python_error(e);
  throw Error("Python prior '" + name + "' raised in " + call + "(): " + text);
}

class PythonPrior final : public Prior {
 public:
  PythonPrior(std::string name, py::object instance, std::size_t halo)
      : name_(std::move(name)), instance_(new py::object(std::move(instance))), halo_(halo) {}

  ~PythonPrior() override {
    py::gil_scoped_acquire gil;
    delete instance_;
  }

  void apply(Volume& x, double strength, Context& context) override {
    context.cancellation().throw_if_cancelled();
    // A host on a GPU hands over device arrays: Python sees a host copy, and the result goes back.
    const MemorySpace space = x.data.space();
    ArrayF host = space.is_host() ? x.data : x.data.to(MemorySpace::host());
    const Shape shape = host.shape();
    py::gil_scoped_acquire gil;
    try {
      py::object result = instance_->attr("apply")(to_numpy(host), strength);
      if (!result.is_none()) {
        // Any real dtype NumPy produced (float64 from a float64 kernel) becomes float32, as the volume is.
        py::object as_float = py::module_::import("numpy").attr("ascontiguousarray")(result, "float32");
        const ArrayF out = borrow<float>(as_float, "Python prior '" + name_ + "': the volume apply() returned", {3});
        if (!(out.shape() == shape))
          throw InputError("Python prior '" + name_ + "': apply() returned shape " + out.shape().to_string() +
                           " for a volume of shape " + shape.to_string());
        std::copy(out.data(), out.data() + out.size(), host.data());
      }
    } catch (py::error_already_set& e) {
      rethrow_python_error(e, name_, "apply");
    }
    if (!space.is_host()) x.data = host.to(space);
  }

  std::size_t halo_slices() const override { return halo_; }

  void prepare(const Shape& volume, Context&) override {
    py::gil_scoped_acquire gil;
    try {
      py::tuple shape(volume.rank());
      for (std::size_t i = 0; i < volume.rank(); ++i) shape[i] = volume[i];
      instance_->attr("prepare")(shape);
    } catch (py::error_already_set& e) {
      rethrow_python_error(e, name_, "prepare");
    }
  }

 private:
  std::string name_;
  py::object* instance_;  // deleted with the GIL held: the engine may destroy the prior on any thread
  std::size_t halo_;
};

void register_prior(const std::string& name, py::object cls, const py::dict& params, std::size_t halo,
                    const std::string& summary) {
  ComponentSpec spec;
  spec.name = name;
  spec.kind = ComponentKind::prior;
  spec.summary = summary;
  spec.params = schema_of(params, "Python prior '" + name + "'");
  // The class stays referenced for the life of the process, as a plugin library stays loaded.
  auto* held = new py::object(std::move(cls));
  spec.create = [name, held, halo](const ParamValues& values) -> std::unique_ptr<Component> {
    py::gil_scoped_acquire gil;
    try {
      const py::dict kwargs = python_kwargs(values);
      return std::make_unique<PythonPrior>(name, (*held)(**kwargs), halo);
    } catch (py::error_already_set& e) {
      rethrow_python_error(e, name, "__init__");
    }
  };
  registry().register_in_process("python", XRECON_VERSION_STRING, std::move(spec));
}

}  // namespace

void bind_python_prior(py::module_& m) {
  m.def("register_prior", &register_prior, py::arg("name"), py::arg("cls"), py::arg("params"), py::arg("halo"),
        py::arg("summary"));
}

}  // namespace xrecon::python
