#pragma once
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "xrecon/context.hpp"
#include "xrecon/engine/checkpoint_identity.hpp"
#include "xrecon/engine/plugin_registry.hpp"
#include "xrecon/engine/thread_communicator.hpp"

namespace xrecon::engine {

// Log lines prefixed with the stage id, through the engine's spdlog logger.
class StageLogger final : public Logger {
 public:
  explicit StageLogger(std::string stage_id) : prefix_("[" + std::move(stage_id) + "] ") {}
  void log(LogLevel level, std::string_view message) override;

 private:
  std::string prefix_;
};

// A bar redrawn in place on a terminal; otherwise a log line every 10%.
class StageProgress final : public Progress {
 public:
  StageProgress(std::string stage_id, bool bars, Logger& logger)
      : stage_id_(std::move(stage_id)), bars_(bars), logger_(logger) {}
  void start(std::string_view task, std::size_t total) override;
  void advance(std::size_t steps) override;
  void finish() override;

 private:
  void draw();
  std::string stage_id_;
  bool bars_;
  Logger& logger_;
  std::string task_;
  std::size_t total_ = 0, done_ = 0, last_decile_ = 0;
};

// Checkpoints as files under <dir>/<stage>/<key>.ckpt, each written atomically.
// Each file records what it belongs to (CheckpointIdentity: the component, its parameters, a
// digest of the first message of each input); load() refuses a file made for anything else, a
// negative step, or the format of an older engine, naming the file and the reason.
class FileCheckpointStore final : public CheckpointStore {
 public:
  // `component` and `parameter_lines` (Provenance::parameters) make the identity.
  FileCheckpointStore(std::optional<std::filesystem::path> dir, std::string stage_id, bool resume,
                      std::string component = {}, const std::string& parameter_lines = {})
      : dir_(std::move(dir)),
        stage_id_(std::move(stage_id)),
        resume_(resume),
        identity_(std::move(component), parameter_lines) {}
  bool enabled() const override { return dir_.has_value(); }
  void save(const std::string& key, const ArrayF& array, std::int64_t step) override;
  std::optional<std::pair<ArrayF, std::int64_t>> load(const std::string& key) override;
  // Called by the executor with the first message of each input (only when checkpointing: the
  // digest reads every byte).
  void note_input(const std::string& port, const Payload& payload) {
    if (dir_) identity_.note_input(port, payload);
  }

 private:
  std::filesystem::path file_for(const std::string& key) const;
  std::optional<std::filesystem::path> dir_;
  std::string stage_id_;
  bool resume_;
  CheckpointIdentity identity_;
};

// Creates nested roles from the registry, binding their parameters against the role's schema.
class RegistryFactory final : public ComponentFactory {
 public:
  explicit RegistryFactory(const PluginRegistry& registry) : registry_(registry) {}
  std::unique_ptr<Component> create(const std::string& name, ComponentKind expected,
                                    const ParamValues& given) override;

 private:
  const PluginRegistry& registry_;
};

// Makes a stage's communicator over the run's devices (communicators.hpp, mpi_run.hpp).
using CommunicatorMaker = std::function<std::unique_ptr<Communicator>()>;

class StageContext final : public Context {
 public:
  // Without `make`, the stage gets a ThreadCommunicator over `devices`.
  StageContext(const std::vector<Device>& devices, const CancellationToken& token, const PluginRegistry& registry,
               Provenance provenance, std::optional<std::filesystem::path> checkpoint_dir, bool resume, bool bars,
               CommunicatorMaker make = {}, std::string component = {});
  const std::vector<Device>& devices() const override { return devices_; }
  Logger& logger() override { return logger_; }
  Progress& progress() override { return progress_; }
  const CancellationToken& cancellation() const override { return token_; }
  CheckpointStore& checkpoints() override { return checkpoints_; }
  ComponentFactory& factory() override { return factory_; }
  const Provenance& provenance() const override { return provenance_; }
  // Made on first use: an NCCL communicator costs start-up time and GPU memory, and most stages
  // (sources, writers) never ask for one.
  Communicator& communicator() override;
  FileCheckpointStore& checkpoint_store() { return checkpoints_; }
  const ChunkPlan& planned_chunks() const override { return planned_; }
  // Before the stage runs, when its spec states memory_need: asks it for the run's slices and
  // their need given the first message of each input, and plans the chunks (throws InputError
  // with the numbers when they cannot fit).
  void plan_memory(const ComponentSpec& spec, const ParamValues& params,
                   const std::map<std::string, std::shared_ptr<const Payload>>& first_messages);

 private:
  const std::vector<Device>& devices_;
  const CancellationToken& token_;
  StageLogger logger_;
  StageProgress progress_;
  FileCheckpointStore checkpoints_;
  RegistryFactory factory_;
  Provenance provenance_;
  CommunicatorMaker make_;
  std::once_flag made_;
  std::unique_ptr<Communicator> communicator_;
  ChunkPlan planned_;
};

}  // namespace xrecon::engine
