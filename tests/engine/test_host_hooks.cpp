// What a host embedding the engine (the Python package) relies on: components registered in
// process, a tap on the messages stages send, a stop request, and the kind of a stage's failure.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <vector>

#include "test_support.hpp"
#include "xrecon/stage.hpp"

using namespace xrecon;
using namespace xrecon::engine;

namespace {

class FailsWithBadInput final : public Stage {
 public:
  void run(StageIO&, Context&) override { throw InputError("the data is not a transmission"); }
};

ComponentSpec bad_input_spec(const std::string& name) {
  ComponentSpec spec;
  spec.name = name;
  spec.summary = "fails with an InputError";
  spec.inputs = {PortSpec{"volume", PayloadKind::volume, "anything", false, PortFlow::stream}};
  spec.create = [](const ParamValues&) { return std::make_unique<FailsWithBadInput>(); };
  return spec;
}

// A registry of its own: these tests add components to it.
PluginRegistry& host_registry() {
  static PluginRegistry* registry = [] {
    auto* r = new PluginRegistry;
    r->load_folders({XRECON_TEST_PLUGIN_DIR});
    r->register_in_process("host", "1.0", bad_input_spec("host.bad_input"));
    return r;
  }();
  return *registry;
}

Plan host_plan(const std::string& yaml) {
  return validate_pipeline(parse_pipeline_text(yaml, "host.yaml"), host_registry());
}

// testkit.source sending `count` volumes to testkit.sink, which expects them all.
Plan source_to_sink(int count) {
  const std::string n = std::to_string(count);
  return host_plan("version: 1\nstages:\n  - {id: src, plugin: testkit.source, with: {count: " + n +
                   "}}\n  - {id: sink, plugin: testkit.sink, inputs: {volume: src.volume}, with: {expect: " + n + "}}\n");
}

// A stage that runs for a minute unless the run is stopped.
Plan endless_plan() {
  return host_plan(R"(version: 1
stages:
  - {id: src, plugin: testkit.source, with: {count: 1}}
  - {id: slow, plugin: testkit.endless, inputs: {volume: src.volume}, with: {seconds: 60}}
)");
}

}  // namespace

TEST(HostHooks, AnInProcessComponentIsUsedByNameAndItsInputErrorKeepsItsKind) {
  EXPECT_EQ(host_registry().provider("host.bad_input")->path, "(in process: host)");
  const Plan plan = host_plan(R"(version: 1
stages:
  - {id: src, plugin: testkit.source, with: {count: 1}}
  - {id: check, plugin: host.bad_input, inputs: {volume: src.volume}}
)");
  try {
    execute(plan, host_registry(), {});
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "stage 'check' (host.bad_input): the data is not a transmission");
  }
}

TEST(HostHooks, InProcessNamesAreOwnedAndReplaceable) {
  PluginRegistry& r = host_registry();
  try {
    r.register_in_process("host", "1.0", bad_input_spec("testkit.sink"));
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("component 'testkit.sink' is provided by "), std::string::npos) << e.what();
  }
  ComponentSpec again = bad_input_spec("host.bad_input");
  again.summary = "the second definition";
  r.register_in_process("host", "1.0", std::move(again));
  EXPECT_EQ(r.find("host.bad_input")->summary, "the second definition");
  EXPECT_NO_THROW(r.require_owned_names());
}

TEST(HostHooks, OnSendSeesEveryMessageWithItsStageAndPort) {
  const Plan plan = source_to_sink(7);
  std::mutex mutex;
  std::map<std::string, int> seen;
  RunOptions options;
  options.on_send = [&](const std::string& stage, const std::string& port, const std::shared_ptr<const Payload>& m) {
    ASSERT_NE(m, nullptr);
    std::lock_guard lock(mutex);
    ++seen[stage + "." + port];
  };
  execute(plan, host_registry(), options);
  EXPECT_EQ(seen, (std::map<std::string, int>{{"src.volume", 7}}));
}

TEST(HostHooks, AStopRequestCancelsTheRun) {
  const Plan plan = endless_plan();
  std::atomic<int> polls{0};
  RunOptions options;
  options.stop_requested = [&] { return ++polls > 5; };
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(execute(plan, host_registry(), options), Cancelled);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(HostHooks, OnStageDoneTimesEachStageThatRanToItsEnd) {
  const Plan plan = source_to_sink(3);
  std::mutex mutex;
  std::map<std::string, std::vector<double>> seconds;
  RunOptions options;
  options.on_stage_done = [&](const std::string& stage, double s) {
    std::lock_guard lock(mutex);
    seconds[stage].push_back(s);
  };
  const auto start = std::chrono::steady_clock::now();
  execute(plan, host_registry(), options);
  const double whole = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(seconds.size(), 2u);
  for (const auto& [stage, times] : seconds) {
    ASSERT_EQ(times.size(), 1u) << stage;
    EXPECT_GE(times[0], 0.0) << stage;
    EXPECT_LE(times[0], whole) << stage;
  }

  // A cancelled stage did not run to its end: no time for it.
  const Plan stopped = endless_plan();
  seconds.clear();
  std::atomic<int> polls{0};
  options.stop_requested = [&] { return ++polls > 5; };
  EXPECT_THROW(execute(stopped, host_registry(), options), Cancelled);
  EXPECT_EQ(seconds.count("slow"), 0u);
}
