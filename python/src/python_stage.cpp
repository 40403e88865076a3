// A pipeline stage written in Python: a subclass of xrecon.Stage registered under a component
// name with its input and output ports, which a pipeline then runs by that name like a C++
// plugin's stage. A batch stage: it receives one message per connected input, calls the class's
// run(inputs) with the GIL held for that call only, and sends what it returned on its outputs.
#include <pybind11/stl.h>

#include <map>

#include "arrays.hpp"
#include "errors.hpp"
#include "pipelines.hpp"
#include "python_params.hpp"
#include "xrecon/stage.hpp"
#include "xrecon/version.hpp"

namespace xrecon::python {

namespace {

[[noreturn]] void rethrow_stage_error(py::error_already_set& e, const std::string& name, const char* call) {
  const std::string text = std::string(py::str(e.type().attr("__name__"))) + ": " + std::string(py::str(e.value()));
  keep_python_error(e);
  throw Error("Python stage '" + name + "' raised in " + call + "(): " + text);
}

PayloadKind kind_of(const std::string& text, const std::string& stage) {
  if (text == "volume") return PayloadKind::volume;
  if (text == "image_stack") return PayloadKind::image_stack;
  if (text == "projections") return PayloadKind::projections;
  throw InputError("Python stage '" + stage + "': unknown payload kind '" + text +
                   "' (Python stages take and give volume, image_stack and projections)");
}

// A read-only NumPy view of an input: the message may be shared with other consumers.
py::object input_to_python(const Payload& payload) {
  const auto readonly = [](py::object array) {
    array.attr("setflags")(py::arg("write") = false);
    return array;
  };
  switch (payload.kind()) {
    case PayloadKind::volume:
      return readonly(to_numpy(static_cast<const Volume&>(payload).data));
    case PayloadKind::image_stack:
      return readonly(to_numpy(static_cast<const ImageStack&>(payload).data));
    case PayloadKind::projections: {
      const auto& p = static_cast<const Projections&>(payload);
      return py::module_::import("xrecon.payloads")
          .attr("Projections")(readonly(to_numpy(p.data)), py::cast(p.angles), p.center_or_default(),
                               to_string(p.convention), p.pixel_size);
    }
    default:
      throw Error("a Python stage input of an unsupported kind");
  }
}

// A float (slices, rows, cols) array of the result as an owned float32 Array, or an InputError
// naming the stage, the port and what was wrong.
ArrayF stack_of(const py::handle& value, const std::string& where) {
  const py::module_ np = py::module_::import("numpy");
  if (!py::isinstance(value, np.attr("ndarray")))
    throw InputError(where + ": expected a NumPy array, got " +
                     std::string(py::str(py::type::of(value).attr("__name__"))));
  const std::string kind = py::str(value.attr("dtype").attr("kind"));
  if (kind != "f")
    throw InputError(where + ": expected a float32 (or float64) array, got dtype " +
                     std::string(py::str(value.attr("dtype"))));
  const std::size_t rank = value.attr("ndim").cast<std::size_t>();
  if (rank != 3)
    throw InputError(where + ": expected a 3-D array (slices, rows, cols), got shape " +
                     std::string(py::str(value.attr("shape"))));
  py::object as_float = np.attr("ascontiguousarray")(value, "float32");
  return copy_of<float>(as_float, where, {3});
}

std::shared_ptr<const Payload> output_from_python(const py::handle& value, PayloadKind kind, const std::string& where,
                                                  const Payload* model) {
  switch (kind) {
    case PayloadKind::volume: {
      auto v = std::make_shared<Volume>();
      v->data = stack_of(value, where);
      if (model && model->kind() == PayloadKind::volume) v->voxel_size = static_cast<const Volume*>(model)->voxel_size;
      v->description = "the output of a Python stage";
      return v;
    }
    case PayloadKind::image_stack: {
      auto s = std::make_shared<ImageStack>();
      s->data = stack_of(value, where);
      return s;
    }
    case PayloadKind::projections: {
      const py::object cls = py::module_::import("xrecon.payloads").attr("Projections");
      if (!py::isinstance(value, cls))
        throw InputError(where + ": expected an xrecon.payloads.Projections, got " +
                         std::string(py::str(py::type::of(value).attr("__name__"))));
      auto p = std::make_shared<Projections>();
      p->data = stack_of(value.attr("data"), where + " (data)");
      p->angles = value.attr("angles").cast<std::vector<double>>();
      if (p->angles.size() != p->data.extent(0))
        throw InputError(where + ": " + std::to_string(p->angles.size()) + " angles for " +
                         std::to_string(p->data.extent(0)) + " projections");
      p->center = value.attr("center").cast<double>();
      const std::string convention = py::str(value.attr("convention"));
      if (convention != "tomopy" && convention != "astra")
        throw InputError(where + ": convention must be 'tomopy' or 'astra', got '" + convention + "'");
      p->convention = convention == "tomopy" ? CentreConvention::tomopy : CentreConvention::astra;
      p->pixel_size = value.attr("pixel_size").cast<double>();
      return p;
    }
    default:
      throw Error("a Python stage output of an unsupported kind");
  }
}

class PythonStage final : public Stage {
 public:
  PythonStage(std::string name, py::object instance, std::vector<PortSpec> inputs, std::vector<PortSpec> outputs)
      : name_(std::move(name)), instance_(new py::object(std::move(instance))), inputs_(std::move(inputs)),
        outputs_(std::move(outputs)) {}

  ~PythonStage() override {
    py::gil_scoped_acquire gil;
    delete instance_;
  }

  void run(StageIO& io, Context& context) override {
    std::map<std::string, std::shared_ptr<const Payload>> received;
    for (const PortSpec& port : inputs_)
      if (io.connected(port.name)) received[port.name] = io.require<Payload>(port.name);
    context.cancellation().throw_if_cancelled();
    const Payload* model = received.empty() ? nullptr : received.begin()->second.get();

    std::vector<std::pair<std::string, std::shared_ptr<const Payload>>> to_send;
    {
      py::gil_scoped_acquire gil;
      py::object result;
      try {
        py::dict inputs;
        for (const auto& [port, payload] : received) inputs[py::str(port)] = input_to_python(*payload);
        result = instance_->attr("run")(inputs);
      } catch (py::error_already_set& e) {
        rethrow_stage_error(e, name_, "run");
      }
      // One output: the value itself or {port: value}; several: a dict with every port.
      const bool single = outputs_.size() == 1 && !py::isinstance<py::dict>(result);
      if (!single && !py::isinstance<py::dict>(result))
        throw InputError("Python stage '" + name_ + "': run() returned " +
                         std::string(py::str(py::type::of(result).attr("__name__"))) +
                         "; a stage with several outputs returns a dict {port: value}");
      for (const PortSpec& port : outputs_) {
        const std::string where = "Python stage '" + name_ + "', output '" + port.name + "'";
        py::object value;
        if (single) {
          value = result;
        } else {
          py::dict d = result.cast<py::dict>();
          if (!d.contains(port.name)) {
            if (!io.connected(port.name)) continue;
            throw InputError(where + ": run() returned no value for it");
          }
          value = d[py::str(port.name)];
        }
        to_send.emplace_back(port.name, output_from_python(value, port.kind, where, model));
      }
    }
    for (auto& [port, payload] : to_send) io.send(port, std::move(payload));
  }

 private:
  std::string name_;
  py::object* instance_;  // deleted with the GIL held: the engine may destroy the stage on any thread
  std::vector<PortSpec> inputs_;
  std::vector<PortSpec> outputs_;
};

std::vector<PortSpec> ports_of(const std::vector<std::pair<std::string, std::string>>& ports, const std::string& name,
                               bool input) {
  std::vector<PortSpec> specs;
  for (const auto& [port, kind_text] : ports) {
    const PayloadKind kind = kind_of(kind_text, name);
    PortSpec spec;
    spec.name = port;
    spec.kind = kind;
    spec.doc = std::string(input ? "an input" : "an output") + " of the Python stage " + name;
    specs.push_back(std::move(spec));
  }
  return specs;
}

void register_stage(const std::string& name, py::object cls, const py::dict& params,
                    const std::vector<std::pair<std::string, std::string>>& inputs,
                    const std::vector<std::pair<std::string, std::string>>& outputs, const std::string& summary) {
  ComponentSpec spec;
  spec.name = name;
  spec.kind = ComponentKind::stage;
  spec.summary = summary;
  spec.params = schema_of(params, "Python stage '" + name + "'");
  spec.inputs = ports_of(inputs, name, true);
  spec.outputs = ports_of(outputs, name, false);
  auto* held = new py::object(std::move(cls));  // referenced for the life of the process
  spec.create = [name, held, in = spec.inputs, out = spec.outputs](const ParamValues& values) -> std::unique_ptr<Component> {
    py::gil_scoped_acquire gil;
    try {
      const py::dict kwargs = python_kwargs(values);
      return std::make_unique<PythonStage>(name, (*held)(**kwargs), in, out);
    } catch (py::error_already_set& e) {
      rethrow_stage_error(e, name, "__init__");
    }
  };
  registry().register_in_process("python", XRECON_VERSION_STRING, std::move(spec));
}

}  // namespace

void bind_python_stage(py::module_& m) {
  m.def("register_stage", &register_stage, py::arg("name"), py::arg("cls"), py::arg("params"), py::arg("inputs"),
        py::arg("outputs"), py::arg("summary"));
}

}  // namespace xrecon::python
