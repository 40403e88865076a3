// A thread the system will not create (a process or memory limit) ends the run with a message
// naming the stage or device, not with "terminate called without an active exception" (SIGABRT)
// from a joinable std::thread destroyed on the way out.
#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "engine/test_support.hpp"
#include "hostile.hpp"
#include "support/fake_context.hpp"
#include "support/sanitizers.hpp"
#include "xrecon/for_each_device.hpp"

using namespace hostile;

namespace {

constexpr std::size_t kGiB = std::size_t(1) << 30;

// Bytes of address space this process has mapped (VmSize).
std::size_t mapped_bytes() {
  std::size_t pages = 0;
  std::ifstream("/proc/self/statm") >> pages;
  return pages * std::size_t(sysconf(_SC_PAGESIZE));
}

// From here on, this process can create one more thread and no second: new threads get 1 GiB
// stacks, and the address space has room for one (and its malloc arena). Only for a child.
void leave_room_for_one_thread() {
  pthread_attr_t attributes;
  pthread_attr_init(&attributes);
  pthread_attr_setstacksize(&attributes, kGiB);
  pthread_setattr_default_np(&attributes);
  const rlimit room{mapped_bytes() + kGiB + kGiB / 2, RLIM_INFINITY};
  setrlimit(RLIMIT_AS, &room);
}

// Ends the child: 3 and the message when `run` threw, 0 when it did not.
template <typename Run>
[[noreturn]] void exit_with_outcome(Run run) {
  try {
    run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    std::_Exit(3);
  }
  std::_Exit(0);
}

// Every test here limits the address space, which ASan's shadow memory does not fit in.
class ThreadLimits : public ::testing::Test {
 protected:
  void SetUp() override {
    if (xrecon::testing::kAddressSanitizer)
      GTEST_SKIP() << "limits the address space, which AddressSanitizer's shadow memory does not fit in";
  }
};

}  // namespace

// Deterministic, also for root (who is exempt from ulimit -u): a 64 GiB stack limit makes glibc
// give every new thread a 64 GiB stack, which a 16 GiB address-space limit cannot hold, while the
// main thread (whose stack grows on demand) runs as usual. So the executor's first stage thread
// cannot be created.
TEST_F(ThreadLimits, ARunWhoseStageThreadCannotStartFailsNamingTheStage) {
  TempDir dir;
  const fs::path output = dir / "result.h5";
  write_older_output(output);
  std::ofstream(dir / "p.yaml") << phantom_pipeline(output);
  const CommandResult r =
      run_command("ulimit -s 67108864 && ulimit -v 16777216 && " + xrecon_command("run " + (dir / "p.yaml")));
  expect_clean_failure(r, "stage 'phantom' (sim.phantom) could not start: the system refused a new thread");
  EXPECT_EQ(file_bytes(output), "an older result\n");
  EXPECT_FALSE(has_partial_files(dir.path()));
}

// The SDK's per-device loop when the second of three threads cannot be created: the first has
// started and waits in a collective for the others. It must be woken (communicator abort) and
// joined, and the failure reported naming the rank. Run in a child process, whose thread stacks
// and address space this test shrinks.
TEST_F(ThreadLimits, ForEachDeviceReportsAThreadItCannotStartAndJoinsTheOthers) {
  const auto run_with_room_for_one_thread = [] {
    xrecon::testing::FakeContext context(xrecon::testing::cpu_devices(3));
    leave_room_for_one_thread();
    exit_with_outcome([&] {
      xrecon::for_each_device(context, [&](int rank, const xrecon::Device&) { context.communicator().barrier(rank); });
    });
  };
  EXPECT_EXIT(run_with_room_for_one_thread(), ::testing::ExitedWithCode(3),
              "could not start a thread for rank 1 on cpu:1: the system refused a new thread");
}

// The executor when its second stage's thread cannot be created: the first stage has started and
// blocks sending to the second. It must be cancelled and joined, and the second stage named.
TEST_F(ThreadLimits, TheExecutorCancelsTheStartedStagesWhenAStageCannotStart) {
  const auto run_with_room_for_one_thread = [] {
    const xrecon::engine::Plan plan = plan_from(R"(version: 1
stages:
  - {id: src, plugin: testkit.source, with: {count: 100000}}
  - {id: sink, plugin: testkit.sink, inputs: {volume: src.volume}}
)");
    leave_room_for_one_thread();
    exit_with_outcome([&] { xrecon::engine::execute(plan, testkit_registry(), {}); });
  };
  EXPECT_EXIT(run_with_room_for_one_thread(), ::testing::ExitedWithCode(3),
              "stage 'sink' \\(testkit.sink\\) could not start: the system refused a new thread");
}
