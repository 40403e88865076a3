#include "pipelines.hpp"

#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <vector>

#include <pybind11/stl.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "errors.hpp"
#include "payloads.hpp"
#include "xrecon/engine/executor.hpp"
#include "xrecon/engine/pipeline_parser.hpp"
#include "xrecon/engine/plan.hpp"

namespace xrecon::python {

namespace {

using namespace xrecon::engine;

// Deliberately never destroyed, as in the xrecon command: plugin libraries stay loaded until the
// process ends, and objects they made may outlive any scope.
PluginRegistry* loaded = nullptr;

py::list load_plugins(const std::vector<std::string>& folders) {
  if (loaded) throw Error("the plugins are loaded once per process");
  loaded = new PluginRegistry(false);
  std::vector<std::filesystem::path> paths(folders.begin(), folders.end());
  loaded->load_folders(paths);
  // As the command does: a damaged or foreign file is reported and skipped.
  py::list problems;
  for (const RefusedPlugin& r : loaded->unloadable()) problems.append(r.path.string() + " refused: " + r.reason);
  for (const PluginWarning& w : loaded->warnings()) problems.append(w.path.string() + ": " + w.reason);
  return problems;
}

void set_log_level(const std::string& level) {
  static std::once_flag made;
  std::call_once(made, [] {
    // stderr, as the command logs; the engine's stages log through the default logger.
    auto logger = spdlog::stderr_color_mt("xrecon-python");
    logger->set_pattern("[%H:%M:%S.%e] [%^%l%$] %v");
    spdlog::set_default_logger(logger);
  });
  const spdlog::level::level_enum parsed = spdlog::level::from_str(level);
  if (parsed == spdlog::level::off && level != "off")
    throw InputError("log level '" + level + "': expected debug, info, warning, error or off");
  spdlog::set_level(parsed);
}

// The outputs a caller of run() gets: every output port none of whose consumers sends anything on
// (unconsumed, or read only by sinks such as writers), keyed "stage.port". Whether a port streams
// decides between one value and a list of them.
std::map<std::string, bool> terminal_ports(const Plan& plan) {
  std::map<std::string, const PlannedStage*> by_id;
  for (const PlannedStage& s : plan.stages) by_id[s.id] = &s;
  std::map<std::string, bool> passed_on;  // "stage.port" -> a consumer with outputs reads it
  for (const PlannedStage& s : plan.stages)
    for (const auto& [input, ref] : s.inputs)
      passed_on[ref.stage + "." + ref.port] |= !s.component->outputs.empty();
  std::map<std::string, bool> ports;
  for (const PlannedStage& s : plan.stages)
    for (const PortSpec& out : s.component->outputs) {
      const std::string key = s.id + "." + out.name;
      if (!passed_on[key]) ports[key] = out.flow != PortFlow::one;
    }
  return ports;
}

Plan make_plan(const std::optional<std::string>& text, const std::string& path, const std::vector<std::string>& sets,
               const std::optional<std::string>& devices, const std::optional<std::string>& communicator) {
  std::vector<ParamOverride> overrides;
  for (const std::string& s : sets) overrides.push_back(parse_override(s));
  const PipelineSpec spec = text ? parse_pipeline_text(*text, path, overrides) : parse_pipeline_file(path, overrides);
  registry().require_owned_names();
  Plan plan = validate_pipeline(spec, registry(), devices, communicator);
  if (plan.communicator == CommunicatorKind::mpi)
    throw InputError("the mpi communicator needs one process per rank (mpirun with the xrecon command); a Python "
                     "run uses threads or nccl");
  return plan;
}

py::list stage_ids(const Plan& plan) {
  py::list ids;
  for (const PlannedStage& s : plan.stages) ids.append(s.id);
  return ids;
}

py::object run_pipeline(const std::optional<std::string>& text, const std::string& path,
                        const std::vector<std::string>& sets, const std::optional<std::string>& devices,
                        const std::optional<std::string>& communicator, bool validate_only) {
  std::optional<Plan> plan;
  std::exception_ptr failure;
  std::mutex kept_mutex;
  std::map<std::string, std::vector<std::shared_ptr<const Payload>>> kept;
  std::map<std::string, bool> wanted;
  bool stopped_by_signal = false;
  {
    // Validation may run plugins' checks and the run every stage's thread: none needs the GIL,
    // and a Prior written in Python takes it when it is called.
    py::gil_scoped_release release;
    try {
      plan = make_plan(text, path, sets, devices, communicator);
      if (!validate_only) {
        wanted = terminal_ports(*plan);
        RunOptions options;
        const std::vector<Device> planned_devices = plan->devices;
        const CommunicatorKind kind = plan->communicator;
        options.make_communicator = [planned_devices, kind] { return make_local_communicator(kind, planned_devices); };
        options.on_send = [&](const std::string& stage, const std::string& port,
                              const std::shared_ptr<const Payload>& message) {
          const std::string key = stage + "." + port;
          if (!wanted.count(key)) return;
          std::lock_guard lock(kept_mutex);
          kept[key].push_back(message);
        };
        // Ctrl-C reaches Python's own handler; checking for it here turns it into a cancellation.
        options.stop_requested = [&] {
          py::gil_scoped_acquire gil;
          if (PyErr_CheckSignals() == 0) return false;
          stopped_by_signal = true;
          return true;
        };
        execute(*plan, registry(), options);
      }
    } catch (...) {
      failure = std::current_exception();
    }
  }
  py::object python_error = take_python_error();
  if (failure) {
    if (stopped_by_signal) throw py::error_already_set();  // the KeyboardInterrupt PyErr_CheckSignals set
    raise_engine_error(failure, python_error);
    throw py::error_already_set();
  }
  if (validate_only) return stage_ids(*plan);
  py::dict outputs;
  for (const auto& [key, streams] : wanted) {
    const auto it = kept.find(key);
    if (streams) {
      py::list values;
      if (it != kept.end())
        for (const auto& message : it->second) values.append(to_python(*message));
      outputs[py::str(key)] = values;
    } else if (it != kept.end() && !it->second.empty()) {
      outputs[py::str(key)] = to_python(*it->second.back());
    }
  }
  return outputs;
}

py::list component_names(const std::string& kind) {
  py::list names;
  if (kind.empty()) {
    for (const std::string& n : registry().component_names()) names.append(n);
    return names;
  }
  for (const ComponentKind k : {ComponentKind::stage, ComponentKind::tomo_solver, ComponentKind::ptycho_solver,
                                ComponentKind::prior})
    if (kind == to_string(k)) {
      for (const std::string& n : registry().component_names(k)) names.append(n);
      return names;
    }
  throw InputError("component kind '" + kind + "': expected stage, TomoSolver, PtychoSolver or Prior");
}

}  // namespace

PluginRegistry& registry() {
  if (!loaded) throw Error("the plugins are not loaded yet (import xrecon loads them)");
  return *loaded;
}

void bind_pipelines(py::module_& m) {
  m.def("load_plugins", &load_plugins, py::arg("folders"),
        "Loads the plugin libraries of these folders, once per process; returns the files refused and why");
  m.def("set_log_level", &set_log_level, py::arg("level"));
  m.def("run_pipeline", &run_pipeline, py::arg("text"), py::arg("path"), py::arg("sets"), py::arg("devices"),
        py::arg("communicator"), py::arg("validate_only"));
  m.def("component_names", &component_names, py::arg("kind") = "");
}

}  // namespace xrecon::python
