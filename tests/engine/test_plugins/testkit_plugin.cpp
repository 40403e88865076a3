// Stages that exist only to exercise the engine: a counting source, a sink that checks order,
// a stage that fails on demand, one that runs until cancelled, and one whose memory the engine
// plans (ComponentSpec::memory_need).
#include <chrono>
#include <memory>
#include <stdexcept>
#include <thread>

#include <xrecon/plugin.hpp>
#include <xrecon/slabs.hpp>
#include <xrecon/stage.hpp>

namespace {

using namespace xrecon;

std::shared_ptr<Volume> numbered_volume(std::size_t n, std::size_t index) {
  auto v = std::make_shared<Volume>();
  v->data = ArrayF::zeros({1, n, n});
  v->data[0] = float(index);
  v->sequence = index;
  return v;
}

class CountingSource final : public Stage {
 public:
  explicit CountingSource(const ParamValues& p) : count_(p.integer("count")), size_(p.integer("size")) {}
  void run(StageIO& io, Context&) override {
    for (std::int64_t i = 0; i < count_; ++i) io.send("volume", numbered_volume(std::size_t(size_), std::size_t(i)));
  }

 private:
  std::int64_t count_, size_;
};

// Receives every message and fails unless they arrive complete and in order.
class OrderedSink final : public Stage {
 public:
  explicit OrderedSink(const ParamValues& p) : expect_(p.integer("expect")), read_(p.integer("read")) {}
  void run(StageIO& io, Context& context) override {
    // The optional input reads as an empty stream when left unconnected.
    if (!io.connected("extra") && io.receive("extra") != nullptr) throw std::runtime_error("phantom message");
    std::int64_t received = 0;
    while (read_ < 0 || received < read_) {
      auto v = io.receive_as<Volume>("volume");
      if (!v) break;
      if (std::int64_t(v->data[0]) != received) throw std::runtime_error("message out of order");
      ++received;
    }
    if (read_ < 0 && received != expect_)
      throw std::runtime_error("expected " + std::to_string(expect_) + " messages, got " + std::to_string(received));
    context.logger().info("received " + std::to_string(received) + " messages");
  }

 private:
  std::int64_t expect_, read_;
};

class FailingStage final : public Stage {
 public:
  explicit FailingStage(const ParamValues& p) : message_(p.string("message")) {}
  void run(StageIO& io, Context&) override {
    io.receive("volume");
    throw std::runtime_error(message_);
  }

 private:
  std::string message_;
};

// Passes its input through, then works until cancelled (to test Ctrl-C and error propagation).
class EndlessStage final : public Stage {
 public:
  explicit EndlessStage(const ParamValues& p) : seconds_(p.real("seconds")) {}
  void run(StageIO& io, Context& context) override {
    auto v = io.require<Volume>("volume");
    const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds_);
    context.progress().start("waiting", 100);
    while (std::chrono::steady_clock::now() < until) {
      context.cancellation().throw_if_cancelled();
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    context.progress().finish();
    io.send("volume", v);
  }

 private:
  double seconds_;
};

// Reads its volume's slices in the chunks the engine planned, and fails unless the plan is there,
// covers every slice once, and the volume it receives is the one the plan was made for.
class PlannedStage final : public Stage {
 public:
  void run(StageIO& io, Context& context) override {
    const auto v = io.require<Volume>("volume");
    const ChunkPlan& plan = context.planned_chunks();
    if (plan.size() != context.devices().size()) throw std::runtime_error("no plan from the engine");
    std::size_t next = 0, chunks = 0;
    for (const auto& rank : plan)
      for (const Slab& chunk : rank) {
        if (chunk.begin != next) throw std::runtime_error("the chunks do not follow each other");
        next = chunk.end;
        ++chunks;
      }
    if (next != v->data.extent(0)) throw std::runtime_error("the plan does not cover the volume");
    if (io.receive("volume") != nullptr) throw std::runtime_error("a second message");
    context.logger().info("planned " + std::to_string(chunks) + " chunks");
  }
};

ComponentSpec source_spec() {
  ComponentSpec s;
  s.name = "testkit.source";
  s.summary = "Emits `count` numbered volumes";
  s.params.integer("count", 1, "messages to emit", 0, 1e6).integer("size", 4, "volume width", 1, 4096);
  s.outputs = {{"volume", PayloadKind::volume, "numbered volumes", false, PortFlow::stream}};
  s.create = [](const ParamValues& p) { return std::make_unique<CountingSource>(p); };
  return s;
}

ComponentSpec sink_spec() {
  ComponentSpec s;
  s.name = "testkit.sink";
  s.summary = "Checks that numbered volumes arrive in order";
  s.params.integer("expect", 1, "messages expected", 0, 1e6)
      .integer("read", -1, "stop after this many (-1: read to the end)", -1, 1e6);
  s.inputs = {{"volume", PayloadKind::volume, "numbered volumes", false, PortFlow::stream},
              {"extra", PayloadKind::volume, "an optional input left unconnected", true, PortFlow::stream}};
  s.create = [](const ParamValues& p) { return std::make_unique<OrderedSink>(p); };
  return s;
}

ComponentSpec fail_spec() {
  ComponentSpec s;
  s.name = "testkit.fail";
  s.summary = "Throws after its first input";
  s.params.string("message", std::string("deliberate failure"), "the error message");
  s.inputs = {{"volume", PayloadKind::volume, "anything", false, PortFlow::stream}};
  s.outputs = {{"volume", PayloadKind::volume, "never produced"}};
  s.create = [](const ParamValues& p) { return std::make_unique<FailingStage>(p); };
  return s;
}

ComponentSpec endless_spec() {
  ComponentSpec s;
  s.name = "testkit.endless";
  s.summary = "Waits `seconds` (polling cancellation), then passes its input on";
  s.params.real("seconds", 60.0, "how long to wait", 0, 3600, "s");
  // Reads the first message of whatever it is given and passes it on: a filter, for the checks
  // of streams into single-message inputs.
  s.inputs = {{"volume", PayloadKind::volume, "anything", false, PortFlow::stream}};
  s.outputs = {{"volume", PayloadKind::volume, "the input, late", false, PortFlow::as_inputs}};
  s.create = [](const ParamValues& p) { return std::make_unique<EndlessStage>(p); };
  return s;
}

// One volume of `slices` slices, for stages that take a single message.
class SingleVolume final : public Stage {
 public:
  explicit SingleVolume(const ParamValues& p) : slices_(p.integer("slices")), size_(p.integer("size")) {}
  void run(StageIO& io, Context&) override {
    auto v = std::make_shared<Volume>();
    v->data = ArrayF::zeros({std::size_t(slices_), std::size_t(size_), std::size_t(size_)});
    io.send("volume", v);
  }

 private:
  std::int64_t slices_, size_;
};

ComponentSpec single_spec() {
  ComponentSpec s;
  s.name = "testkit.single";
  s.summary = "Emits one volume of `slices` slices";
  s.params.integer("slices", 1, "slices", 1, 4096).integer("size", 4, "volume width", 1, 4096);
  s.outputs = {{"volume", PayloadKind::volume, "one volume"}};
  s.create = [](const ParamValues& p) { return std::make_unique<SingleVolume>(p); };
  return s;
}

ComponentSpec planned_spec() {
  ComponentSpec s;
  s.name = "testkit.planned";
  s.summary = "States bytes_per_slice of memory per slice of its volume; checks the engine's plan";
  s.params.real("bytes_per_slice", 1024.0, "memory each slice needs", 0, 1e18, "B");
  s.inputs = {{"volume", PayloadKind::volume, "a volume of slices"}};
  s.memory_need = [](const ParamValues& p, const auto& first) {
    const auto& volume = static_cast<const Volume&>(*first.at("volume"));
    return SliceMemory{volume.data.extent(0), MemoryNeed{0, std::size_t(p.real("bytes_per_slice"))}};
  };
  s.create = [](const ParamValues&) { return std::make_unique<PlannedStage>(); };
  return s;
}

}  // namespace

XRECON_PLUGIN("testkit", "1.0.0", source_spec(), sink_spec(), fail_spec(), endless_spec(), planned_spec(), single_spec())
