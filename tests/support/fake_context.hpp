#pragma once
// A Context for tests of stages, roles and writers without an engine: N virtual CPU devices with
// the engine's real threads communicator over them, log lines and progress recorded for the test
// to inspect, no checkpoints, no nested components, and a cancellation token the test can trip.
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <xrecon/context.hpp>
#include <xrecon/engine/thread_communicator.hpp>

namespace xrecon::testing {

struct LogLine {
  LogLevel level;
  std::string text;
};

// `count` virtual CPU devices, as `--devices cpu:N` gives them.
inline std::vector<Device> cpu_devices(std::size_t count) {
  std::vector<Device> devices;
  for (std::size_t i = 0; i < count; ++i) devices.push_back({Device::Kind::cpu, int(i)});
  return devices;
}

class FakeContext final : public Context {
 public:
  explicit FakeContext(std::vector<Device> devices = cpu_devices(1))
      : devices_(std::move(devices)), communicator_(int(devices_.size())) {
    provenance_.pipeline_path = "configs/test.yaml";
    provenance_.pipeline_text = "version: 1\nname: test\nstages: []\n";
    provenance_.stage_id = "save";
    provenance_.parameters = "path: out.h5\npreview: true\ncompression: 4\n";
    provenance_.engine_version = "0.1.0-test";
    provenance_.plugins = "io 0.1.0";
  }

  const std::vector<Device>& devices() const override { return devices_; }
  Logger& logger() override { return logger_; }
  Progress& progress() override { return progress_; }
  const CancellationToken& cancellation() const override { return cancellation_; }
  CheckpointStore& checkpoints() override { return checkpoints_; }
  ComponentFactory& factory() override { return factory_; }
  const Provenance& provenance() const override { return provenance_; }
  Communicator& communicator() override { return communicator_; }

  void cancel() { cancellation_.cancel(); }
  std::vector<LogLine> log_lines() const {
    std::lock_guard lock(logger_.mutex);
    return logger_.lines;
  }
  std::size_t progress_total() const { return progress_.total; }
  std::size_t progress_done() const { return progress_.done; }
  bool progress_finished() const { return progress_.finished; }

 private:
  // Thread-safe like the engine's logger: ranks on several devices may log at once.
  struct CollectingLogger final : Logger {
    void log(LogLevel level, std::string_view message) override {
      std::lock_guard lock(mutex);
      lines.push_back({level, std::string(message)});
    }
    mutable std::mutex mutex;
    std::vector<LogLine> lines;
  };
  struct CountingProgress final : Progress {
    void start(std::string_view, std::size_t steps) override { total = steps; }
    void advance(std::size_t steps) override { done += steps; }
    void finish() override { finished = true; }
    std::size_t total = 0, done = 0;
    bool finished = false;
  };
  struct NoCheckpoints final : CheckpointStore {
    bool enabled() const override { return false; }
    void save(const std::string&, const ArrayF&, std::int64_t) override {}
    std::optional<std::pair<ArrayF, std::int64_t>> load(const std::string&) override { return std::nullopt; }
  };
  struct NoFactory final : ComponentFactory {
    std::unique_ptr<Component> create(const std::string& name, ComponentKind, const ParamValues&) override {
      throw Error("the test context creates no components (asked for '" + name + "')");
    }
  };

  std::vector<Device> devices_;
  CollectingLogger logger_;
  CountingProgress progress_;
  CancellationToken cancellation_;
  NoCheckpoints checkpoints_;
  NoFactory factory_;
  Provenance provenance_;
  engine::ThreadCommunicator communicator_;
};

}  // namespace xrecon::testing
