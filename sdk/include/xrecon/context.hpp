#pragma once
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "xrecon/array.hpp"
#include "xrecon/cancellation.hpp"
#include "xrecon/communicator.hpp"
#include "xrecon/component.hpp"
#include "xrecon/export.hpp"
#include "xrecon/memory_need.hpp"
#include "xrecon/params.hpp"

namespace xrecon {

// A compute device a stage may use. Stages get theirs from the context, never from globals.
struct XRECON_SDK_API Device {
  enum class Kind { cpu, cuda };
  Kind kind = Kind::cpu;
  int index = 0;
  std::string to_string() const;
  MemorySpace memory_space() const {
    return kind == Kind::cpu ? MemorySpace::host() : MemorySpace::cuda(index);
  }
};

enum class LogLevel { debug, info, warn, error };

class XRECON_SDK_API Logger {
 public:
  virtual ~Logger();
  virtual void log(LogLevel level, std::string_view message) = 0;
  void debug(std::string_view m) { log(LogLevel::debug, m); }
  void info(std::string_view m) { log(LogLevel::info, m); }
  void warn(std::string_view m) { log(LogLevel::warn, m); }
};

// Long stages report progress; the engine draws a bar on a terminal and logs lines otherwise.
class XRECON_SDK_API Progress {
 public:
  virtual ~Progress();
  virtual void start(std::string_view task, std::size_t total) = 0;
  virtual void advance(std::size_t steps = 1) = 0;
  virtual void finish() = 0;
};

// Named arrays that survive a crash: `xrecon run --resume` hands a stage what it saved last.
class XRECON_SDK_API CheckpointStore {
 public:
  virtual ~CheckpointStore();
  virtual bool enabled() const = 0;
  virtual void save(const std::string& key, const ArrayF& array, std::int64_t step) = 0;
  // The saved array and the step it belongs to, when resuming and one exists.
  virtual std::optional<std::pair<ArrayF, std::int64_t>> load(const std::string& key) = 0;
};

// What produced a result, stored with every output file.
struct XRECON_SDK_API Provenance {
  std::string pipeline_path;
  std::string pipeline_text;   // the file as run, after --set overrides
  std::string stage_id;
  std::string parameters;      // this stage's checked parameters, one "name: value" per line
  std::string engine_version;
  std::string plugins;         // "name version" of every plugin the pipeline used
};

// Creates nested roles by name (a composite solver asks for its prior or inner solver).
class XRECON_SDK_API ComponentFactory {
 public:
  virtual ~ComponentFactory();
  virtual std::unique_ptr<Component> create(const std::string& name, ComponentKind expected,
                                            const ParamValues& given) = 0;
};

class XRECON_SDK_API Context {
 public:
  virtual ~Context();
  virtual const std::vector<Device>& devices() const = 0;
  virtual Logger& logger() = 0;
  virtual Progress& progress() = 0;
  virtual const CancellationToken& cancellation() const = 0;
  virtual CheckpointStore& checkpoints() = 0;
  virtual ComponentFactory& factory() = 0;
  virtual const Provenance& provenance() const = 0;
  // Collectives over devices(): its size() equals devices().size(), rank k drives device k.
  virtual Communicator& communicator() = 0;
  // The chunks the engine planned before the stage ran (ComponentSpec::memory_need), one list per
  // rank; empty when it planned none (read it through chunks_for, xrecon/slabs.hpp).
  virtual const ChunkPlan& planned_chunks() const;

  template <typename Role>
  std::unique_ptr<Role> make(const std::string& name, const ParamValues& given = {}) {
    std::unique_ptr<Component> c = factory().create(name, Role::component_kind, given);
    auto* role = dynamic_cast<Role*>(c.get());
    XRECON_CHECK(role != nullptr, "'" + name + "' does not implement the requested role");
    c.release();
    return std::unique_ptr<Role>(role);
  }
  // The plugin a pipeline file chose for a role slot (ParamValues::component), with its parameters.
  template <typename Role>
  std::unique_ptr<Role> make(const ComponentChoice& choice) {
    return make<Role>(choice.plugin, choice.with ? *choice.with : ParamValues{});
  }
};

}  // namespace xrecon
