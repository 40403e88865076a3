#include <gtest/gtest.h>

#include <chrono>

#include "test_support.hpp"
#include "xrecon/engine/thread_communicator.hpp"

using namespace xrecon;
using namespace xrecon::engine;

TEST(Executor, StreamsManyMessagesInOrderThroughBoundedChannels) {
  const Plan plan = plan_from(R"(version: 1
devices: cpu
stages:
  - {id: src, plugin: testkit.source, with: {count: 500}}
  - {id: sink, plugin: testkit.sink, inputs: {volume: src.volume}, with: {expect: 500}}
  - {id: sink2, plugin: testkit.sink, inputs: {volume: src.volume}, with: {expect: 500}}
)");
  EXPECT_NO_THROW(execute(plan, testkit_registry(), {}));
}

TEST(Executor, SinkThatMissesMessagesIsAnError) {
  const Plan plan = plan_from(R"(version: 1
stages:
  - {id: src, plugin: testkit.source, with: {count: 3}}
  - {id: sink, plugin: testkit.sink, inputs: {volume: src.volume}, with: {expect: 4}}
)");
  try {
    execute(plan, testkit_registry(), {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "stage 'sink' (testkit.sink): expected 4 messages, got 3");
  }
}

TEST(Executor, ConsumerStoppingEarlyDoesNotBlockTheProducer) {
  const Plan plan = plan_from(R"(version: 1
stages:
  - {id: src, plugin: testkit.source, with: {count: 50}}
  - {id: sink, plugin: testkit.sink, inputs: {volume: src.volume}, with: {read: 1}}
)");
  EXPECT_NO_THROW(execute(plan, testkit_registry(), {}));
}

TEST(Executor, FailureCancelsTheOtherStagesPromptly) {
  const Plan plan = plan_from(R"(version: 1
stages:
  - {id: src, plugin: testkit.source, with: {count: 1}}
  - {id: slow, plugin: testkit.endless, inputs: {volume: src.volume}, with: {seconds: 60}}
  - {id: boom, plugin: testkit.fail, inputs: {volume: src.volume}, with: {message: "disk on fire"}}
  - {id: sink, plugin: testkit.sink, inputs: {volume: slow.volume}}
)");
  const auto start = std::chrono::steady_clock::now();
  try {
    execute(plan, testkit_registry(), {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "stage 'boom' (testkit.fail): disk on fire");
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(Validation, PortKindsReferencesAndCycles) {
  const auto error_of = [](const std::string& yaml) -> std::string {
    try {
      plan_from(yaml);
    } catch (const InputError& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_EQ(error_of("version: 1\nstages:\n  - {id: s, plugin: testkit.sink, inputs: {volume: nowhere.volume}}\n"),
            "test.yaml:3:52: error: input 'volume' refers to unknown stage 'nowhere'");
  EXPECT_EQ(error_of("version: 1\nstages:\n  - {id: s, plugin: testkit.sink}\n"),
            "test.yaml:3:5: error: stage 's' (testkit.sink) needs input 'volume' (Volume): add it under 'inputs:'");
  EXPECT_EQ(error_of("version: 1\nstages:\n  - {id: s, plugin: testkit.sourse}\n"),
            "test.yaml:3:21: error: unknown plugin 'testkit.sourse' (did you mean 'testkit.source'?)");
  const std::string cycle = error_of(R"(version: 1
stages:
  - {id: a, plugin: testkit.endless, inputs: {volume: b.volume}}
  - {id: b, plugin: testkit.endless, inputs: {volume: a.volume}}
)");
  EXPECT_NE(cycle.find("error: the stages form a cycle: "), std::string::npos) << cycle;
  EXPECT_NE(cycle.find("a <- b <- a"), std::string::npos) << cycle;
  EXPECT_NE(error_of("version: 1\nstages:\n  - {id: a, plugin: testkit.source, inputs: {volume: a.volume}}\n")
                .find("has no input 'volume'"),
            std::string::npos);
}

// An mpi run (mpi_run.hpp): writers run on rank 0 only, so no two processes write one file.
TEST(Executor, StagesWithoutOutputsRunOnlyOnProcessRankZero) {
  const Plan plan = plan_from(R"(version: 1
stages:
  - {id: src, plugin: testkit.source, with: {count: 300}}
  - {id: sink, plugin: testkit.sink, inputs: {volume: src.volume}, with: {expect: 301}}
)");
  RunOptions options;
  options.process_rank = 1;
  EXPECT_NO_THROW(execute(plan, testkit_registry(), options));  // the sink never ran, so never complained
  options.process_rank = 0;
  EXPECT_THROW(execute(plan, testkit_registry(), options), Error);
}

TEST(Executor, CommunicatorsMadeFirstAreMadeOncePerStageInStageOrder) {
  const Plan plan = plan_from(R"(version: 1
devices: cpu:2
stages:
  - {id: src, plugin: testkit.source, with: {count: 3}}
  - {id: sink, plugin: testkit.sink, inputs: {volume: src.volume}, with: {expect: 3}}
)");
  int made = 0;
  RunOptions options;
  options.make_communicator = [&made] {
    ++made;
    return std::make_unique<ThreadCommunicator>(2);
  };
  options.make_communicators_first = true;
  execute(plan, testkit_registry(), options);
  EXPECT_EQ(made, 2);
}

TEST(Executor, TheFirstFailureIsReportedOnceBeforeTheRunEnds) {
  const Plan plan = plan_from(R"(version: 1
stages:
  - {id: src, plugin: testkit.source, with: {count: 1}}
  - {id: boom, plugin: testkit.fail, inputs: {volume: src.volume}, with: {message: "disk on fire"}}
)");
  std::vector<std::string> reported;
  RunOptions options;
  options.on_failure = [&reported](const std::string& message) { reported.push_back(message); };
  EXPECT_THROW(execute(plan, testkit_registry(), options), Error);
  EXPECT_EQ(reported, std::vector<std::string>{"stage 'boom' (testkit.fail): disk on fire"});
}

// ComponentSpec::memory_need: the engine takes the stage's first message, asks it what the run
// needs, plans the chunks of each rank's slab and hands the plan over (testkit.planned checks it
// and that it still receives the message), or fails before the stage starts.
TEST(Executor, TheEnginePlansTheMemoryOfAStageThatStatesItsNeed) {
  const Plan plan = plan_from(R"(version: 1
devices: cpu:3
stages:
  - {id: src, plugin: testkit.single, with: {slices: 7}}
  - {id: planned, plugin: testkit.planned, inputs: {volume: src.volume}}
)");
  EXPECT_NO_THROW(execute(plan, testkit_registry(), {}));
}

TEST(Executor, AStageWhoseSlicesCannotFitFailsBeforeItRuns) {
  const Plan plan = plan_from(R"(version: 1
stages:
  - {id: src, plugin: testkit.single}
  - {id: planned, plugin: testkit.planned, inputs: {volume: src.volume}, with: {bytes_per_slice: 1e18}}
)");
  try {
    execute(plan, testkit_registry(), {});
    FAIL() << "a slice of 1e18 bytes was planned";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_EQ(message.rfind("stage 'planned' (testkit.planned): testkit.planned needs ", 0), 0u) << message;
    EXPECT_NE(message.find("not even one slice fits"), std::string::npos) << message;
  }
}

// A stream into a stage that reads one message would be reconstructed from its first message
// only (issue 13): validate refuses it, also through a filter that passes the stream on.
std::string validation_error(const std::string& yaml) {
  try {
    plan_from(yaml);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(Validation, AStreamIntoASingleMessageInputIsRefused) {
  const std::string direct = validation_error(R"(version: 1
stages:
  - {id: src, plugin: testkit.source, with: {count: 5}}
  - {id: planned, plugin: testkit.planned, inputs: {volume: src.volume}}
)");
  EXPECT_NE(direct.find("test.yaml:4:"), std::string::npos) << direct;
  EXPECT_NE(direct.find("input 'volume' of stage 'planned' (testkit.planned) takes one message, but 'src.volume' "
                        "(testkit.source) sends a stream"),
            std::string::npos)
      << direct;
  const std::string through_filter = validation_error(R"(version: 1
stages:
  - {id: src, plugin: testkit.source, with: {count: 5}}
  - {id: filter, plugin: testkit.endless, inputs: {volume: src.volume}}
  - {id: planned, plugin: testkit.planned, inputs: {volume: filter.volume}}
)");
  EXPECT_NE(through_filter.find("'filter.volume' (testkit.endless) sends a stream"), std::string::npos)
      << through_filter;
}

TEST(Validation, OneMessageIntoAStreamInputOrThroughAFilterIsFine) {
  EXPECT_EQ(validation_error(R"(version: 1
stages:
  - {id: src, plugin: testkit.single}
  - {id: filter, plugin: testkit.endless, inputs: {volume: src.volume}}
  - {id: planned, plugin: testkit.planned, inputs: {volume: filter.volume}}
  - {id: sink, plugin: testkit.sink, inputs: {volume: src.volume}}
)"),
            "no error");
}
