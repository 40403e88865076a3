// Which communicator a run's stages get: the `communicator:` choice, auto's resolution for the
// devices, backends this build lacks, and a process that drives only some of the ranks (mpi).
#include <gtest/gtest.h>

#include <cstdlib>
#include <mutex>
#include <set>

#include "xrecon/engine/communicators.hpp"
#include "xrecon/engine/devices.hpp"
#include "xrecon/engine/mpi_run.hpp"
#include "xrecon/engine/plugin_registry.hpp"
#include "xrecon/engine/run_context.hpp"
#include "xrecon/engine/thread_communicator.hpp"
#include "xrecon/for_each_device.hpp"

using namespace xrecon;
using namespace xrecon::engine;

namespace {

std::vector<Device> devices_of(Device::Kind kind, std::vector<int> indices) {
  std::vector<Device> devices;
  for (int i : indices) devices.push_back({kind, i});
  return devices;
}

bool cuda_built() { return cuda_device_count() >= 0; }

// A launcher's environment for the length of a test.
class LauncherEnvironment {
 public:
  explicit LauncherEnvironment(int processes) { setenv("OMPI_COMM_WORLD_SIZE", std::to_string(processes).c_str(), 1); }
  ~LauncherEnvironment() { unsetenv("OMPI_COMM_WORLD_SIZE"); }
};

// Threads over all ranks, but this "process" drives only `mine` (what an mpi run looks like).
class PartialCommunicator final : public Communicator {
 public:
  PartialCommunicator(int size, std::set<int> mine) : threads_(size), mine_(std::move(mine)) {}
  int size() const override { return threads_.size(); }
  std::string_view backend() const override { return "partial"; }
  bool drives_rank(int rank) const override { return mine_.count(rank) > 0; }
  void allreduce_sum(int rank, std::span<double> v) override { threads_.allreduce_sum(rank, v); }
  void allreduce_sum(int rank, std::span<float> v) override { threads_.allreduce_sum(rank, v); }
  void reduce_sum(int rank, int root, std::span<float> v) override { threads_.reduce_sum(rank, root, v); }
  void broadcast(int rank, int root, std::span<std::byte> b) override { threads_.broadcast(rank, root, b); }
  void allgather(int rank, std::span<const float> m, std::span<float> a) override { threads_.allgather(rank, m, a); }
  void reduce_scatter_sum(int rank, std::span<const float> i, std::span<float> m) override {
    threads_.reduce_scatter_sum(rank, i, m);
  }
  void barrier(int rank) override { threads_.barrier(rank); }
  void abort() noexcept override { threads_.abort(); }

 private:
  ThreadCommunicator threads_;
  std::set<int> mine_;
};

}  // namespace

TEST(CommunicatorChoice, NamesRoundTripAndOthersAreRefused) {
  for (const char* name : {"auto", "threads", "nccl", "mpi"}) {
    const auto kind = parse_communicator_kind(name);
    ASSERT_TRUE(kind.has_value()) << name;
    EXPECT_EQ(communicator_name(*kind), name);
  }
  EXPECT_FALSE(parse_communicator_kind("gloo").has_value());
  EXPECT_FALSE(parse_communicator_kind("").has_value());
  EXPECT_FALSE(parse_communicator_kind("NCCL").has_value());
}

TEST(CommunicatorChoice, AutoIsThreadsOnCpuDevices) {
  ASSERT_EQ(launcher_process_count(), 1) << "run this test outside mpirun";
  EXPECT_EQ(resolve_communicator(CommunicatorKind::automatic, devices_of(Device::Kind::cpu, {0, 1, 2})),
            CommunicatorKind::threads);
  EXPECT_EQ(resolve_communicator(CommunicatorKind::threads, devices_of(Device::Kind::cpu, {0})),
            CommunicatorKind::threads);
}

TEST(CommunicatorChoice, AutoOnGpusIsNcclForDistinctGpusAndThreadsWhenOversubscribed) {
  if (!cuda_built()) GTEST_SKIP() << "built without CUDA";
  EXPECT_EQ(resolve_communicator(CommunicatorKind::automatic, devices_of(Device::Kind::cuda, {0, 1})),
            CommunicatorKind::nccl);
  EXPECT_EQ(resolve_communicator(CommunicatorKind::automatic, devices_of(Device::Kind::cuda, {0, 0})),
            CommunicatorKind::threads);
  // One GPU has nothing to exchange with: no NCCL start-up for it.
  EXPECT_EQ(resolve_communicator(CommunicatorKind::automatic, devices_of(Device::Kind::cuda, {0})),
            CommunicatorKind::threads);
}

TEST(CommunicatorChoice, NcclRefusesCpuDevicesAndASharedGpu) {
  const auto cpu = devices_of(Device::Kind::cpu, {0, 1});
  const auto shared = devices_of(Device::Kind::cuda, {0, 0});
  if (!cuda_built()) {
    EXPECT_THROW(resolve_communicator(CommunicatorKind::nccl, cpu), NotCompiled);
    return;
  }
  try {
    resolve_communicator(CommunicatorKind::nccl, cpu);
    ADD_FAILURE() << "nccl accepted CPU devices";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("needs CUDA devices"), std::string::npos) << e.what();
  }
  try {
    resolve_communicator(CommunicatorKind::nccl, shared);
    ADD_FAILURE() << "nccl accepted a GPU listed twice";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("one GPU per rank"), std::string::npos) << e.what();
  }
}

TEST(CommunicatorChoice, MpiIsAvailableExactlyWhenBuilt) {
  const auto cpu = devices_of(Device::Kind::cpu, {0, 1});
  if (MpiRun::compiled()) {
    EXPECT_EQ(communicator_not_compiled(CommunicatorKind::mpi), "");
    EXPECT_EQ(resolve_communicator(CommunicatorKind::mpi, cpu), CommunicatorKind::mpi);
  } else {
    EXPECT_NE(communicator_not_compiled(CommunicatorKind::mpi).find("built without MPI"), std::string::npos);
    EXPECT_THROW(resolve_communicator(CommunicatorKind::mpi, cpu), NotCompiled);
  }
}

TEST(CommunicatorChoice, UnderMpirunAutoIsMpi) {
  LauncherEnvironment launched(2);
  EXPECT_EQ(launcher_process_count(), 2);
  const auto cpu = devices_of(Device::Kind::cpu, {0});
  if (MpiRun::compiled())
    EXPECT_EQ(resolve_communicator(CommunicatorKind::automatic, cpu), CommunicatorKind::mpi);
  else
    EXPECT_THROW(resolve_communicator(CommunicatorKind::automatic, cpu), NotCompiled);
  // Asked for explicitly, the in-process backend stays: every process then runs the whole pipeline.
  EXPECT_EQ(resolve_communicator(CommunicatorKind::threads, cpu), CommunicatorKind::threads);
}

TEST(CommunicatorChoice, ThreadsOnCpuDevicesIsTheThreadsBackend) {
  const auto comm = make_local_communicator(CommunicatorKind::threads, devices_of(Device::Kind::cpu, {0, 1, 2}));
  EXPECT_EQ(comm->backend(), "threads");
  EXPECT_EQ(comm->size(), 3);
  for (int r = 0; r < 3; ++r) EXPECT_TRUE(comm->drives_rank(r));
  EXPECT_FALSE(comm->drives_rank(3));
}

TEST(Devices, AGpuListedTwiceIsRefusedOnlyForNccl) {
  const int gpus = cuda_device_count();
  if (gpus < 1) GTEST_SKIP() << "needs a GPU";
  EXPECT_EQ(parse_devices("cuda:0,0", true).size(), 2u);
  try {
    parse_devices("cuda:0,0");
    ADD_FAILURE() << "cuda:0,0 accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("'threads' places several ranks on one GPU"), std::string::npos) << e.what();
  }
}

TEST(StageContext, ForEachDeviceRunsOnlyTheRanksThisProcessDrives) {
  const std::vector<Device> devices = devices_of(Device::Kind::cpu, {0, 1, 2, 3});
  CancellationToken token;
  PluginRegistry registry;
  StageContext context(devices, token, registry, Provenance{}, std::nullopt, false, false,
                       [] { return std::make_unique<PartialCommunicator>(4, std::set<int>{1, 3}); });
  std::mutex m;
  std::set<int> ran;
  for_each_device(context, [&](int rank, const Device& device) {
    EXPECT_EQ(device.index, rank);
    std::lock_guard lock(m);
    ran.insert(rank);
  });
  EXPECT_EQ(ran, (std::set<int>{1, 3}));

  StageContext one(devices, token, registry, Provenance{}, std::nullopt, false, false,
                   [] { return std::make_unique<PartialCommunicator>(4, std::set<int>{2}); });
  std::vector<int> seen;
  for_each_device(one, [&](int rank, const Device&) { seen.push_back(rank); });  // one rank: this thread
  EXPECT_EQ(seen, std::vector<int>{2});
}

TEST(StageContext, ACommunicatorOfTheWrongSizeIsAnError) {
  const std::vector<Device> devices = devices_of(Device::Kind::cpu, {0, 1});
  CancellationToken token;
  PluginRegistry registry;
  StageContext context(devices, token, registry, Provenance{}, std::nullopt, false, false,
                       [] { return std::make_unique<ThreadCommunicator>(3); });
  EXPECT_THROW(context.communicator(), Error);
}

TEST(MpiRankDevices, OneDevicePerProcessOrOneForAll) {
  const auto two_cpus = mpi_rank_devices(devices_of(Device::Kind::cpu, {0}), 2);
  ASSERT_EQ(two_cpus.size(), 2u);
  EXPECT_EQ(two_cpus[1].to_string(), "cpu:1");
  const auto gpus = mpi_rank_devices(devices_of(Device::Kind::cuda, {1, 0}), 2);
  EXPECT_EQ(gpus[0].index, 1);
  EXPECT_EQ(gpus[1].index, 0);
  const auto same_gpu = mpi_rank_devices(devices_of(Device::Kind::cuda, {0}), 3);
  for (const Device& d : same_gpu) EXPECT_EQ(d.to_string(), "cuda:0");
  try {
    mpi_rank_devices(devices_of(Device::Kind::cpu, {0, 1, 2}), 2);
    ADD_FAILURE() << "3 devices accepted for 2 processes";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("3 devices for 2 processes"), std::string::npos) << e.what();
  }
}
