#pragma once
// A Context for tests of stages and writers: collects log lines, never checkpoints, and has a
// cancellation token the test can trip.
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <xrecon/context.hpp>

namespace xrecon::io::testing {

class FakeContext final : public Context {
 public:
  FakeContext() {
    provenance_.pipeline_path = "configs/test.yaml";
    provenance_.pipeline_text = "version: 1\nname: io-test\nstages: []\n";
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

  void cancel() { cancellation_.cancel(); }
  const std::vector<std::pair<LogLevel, std::string>>& lines() const { return logger_.lines; }

 private:
  struct CollectingLogger final : Logger {
    void log(LogLevel level, std::string_view message) override { lines.emplace_back(level, std::string(message)); }
    std::vector<std::pair<LogLevel, std::string>> lines;
  };
  struct SilentProgress final : Progress {
    void start(std::string_view, std::size_t) override {}
    void advance(std::size_t) override {}
    void finish() override {}
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

  std::vector<Device> devices_{Device{}};
  CollectingLogger logger_;
  SilentProgress progress_;
  CancellationToken cancellation_;
  NoCheckpoints checkpoints_;
  NoFactory factory_;
  Provenance provenance_;
};

}  // namespace xrecon::io::testing
