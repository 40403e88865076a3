#pragma once
// What the engine hands a stage, reduced to what the tomography stage tests look at: a StageIO
// with one queued message per input port, and a Context that records log lines and progress.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <xrecon/context.hpp>
#include <xrecon/stage.hpp>

namespace xrecon::tomo::fixtures {

class FakeStageIO final : public StageIO {
 public:
  void give(const std::string& port, std::shared_ptr<const Payload> message) { inputs_[port] = std::move(message); }
  std::shared_ptr<const Payload> receive(std::string_view port) override {
    auto it = inputs_.find(std::string(port));
    if (it == inputs_.end()) return nullptr;
    return std::exchange(it->second, nullptr);
  }
  void send(std::string_view port, std::shared_ptr<const Payload> message) override {
    sent[std::string(port)].push_back(std::move(message));
  }
  bool connected(std::string_view port) const override { return inputs_.count(std::string(port)) != 0; }

  std::map<std::string, std::vector<std::shared_ptr<const Payload>>> sent;

 private:
  std::map<std::string, std::shared_ptr<const Payload>> inputs_;
};

class FakeContext final : public Context {
 public:
  const std::vector<Device>& devices() const override { return devices_; }
  Logger& logger() override { return logger_; }
  Progress& progress() override { return progress_; }
  const CancellationToken& cancellation() const override { return cancellation_; }
  CheckpointStore& checkpoints() override { return checkpoints_; }
  ComponentFactory& factory() override { return factory_; }
  const Provenance& provenance() const override { return provenance_; }

  void cancel() { cancellation_.cancel(); }
  const std::vector<std::string>& log_lines() const { return logger_.lines; }
  std::size_t progress_total() const { return progress_.total; }
  std::size_t progress_done() const { return progress_.done; }
  bool progress_finished() const { return progress_.finished; }

 private:
  struct CollectingLogger final : Logger {
    void log(LogLevel, std::string_view message) override { lines.emplace_back(message); }
    std::vector<std::string> lines;
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

  std::vector<Device> devices_{Device{}};
  CollectingLogger logger_;
  CountingProgress progress_;
  CancellationToken cancellation_;
  NoCheckpoints checkpoints_;
  NoFactory factory_;
  Provenance provenance_;
};

}  // namespace xrecon::tomo::fixtures
