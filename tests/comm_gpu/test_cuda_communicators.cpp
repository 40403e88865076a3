// The nccl backend and the oversubscribed threads backend on GPUs: every collective, on device
// and on host buffers, gives what the threads backend gives on host buffers. Skipped, with the
// reason, on a machine without a GPU.
#include <cuda_runtime_api.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

#include "producer_kernel.hpp"
#include "xrecon/engine/cuda_communicator.hpp"
#include "xrecon/engine/devices.hpp"
#include "xrecon/engine/nccl_communicator.hpp"
#include "xrecon/engine/thread_communicator.hpp"
#include "xrecon/error.hpp"

using namespace xrecon;
using namespace xrecon::engine;

namespace {

#define SKIP_WITHOUT_GPUS(n)                                                                          \
  if (cuda_device_count() < (n))                                                                      \
  GTEST_SKIP() << "needs " << (n) << " CUDA device(s), this machine has " << cuda_device_count()

// A rank's buffer, on its GPU (cudaMalloc) or in host memory, read back with values().
class Buffer {
 public:
  Buffer(std::vector<float> values, bool on_device) : host_(std::move(values)), on_device_(on_device) {
    if (!on_device_) return;
    cudaMalloc(&device_, host_.size() * sizeof(float));
    cudaMemcpy(device_, host_.data(), host_.size() * sizeof(float), cudaMemcpyHostToDevice);
  }
  ~Buffer() { cudaFree(device_); }
  std::span<float> span() { return {on_device_ ? device_ : host_.data(), host_.size()}; }
  std::vector<float> values() {
    if (on_device_) cudaMemcpy(host_.data(), device_, host_.size() * sizeof(float), cudaMemcpyDeviceToHost);
    return host_;
  }

 private:
  std::vector<float> host_;
  bool on_device_;
  float* device_ = nullptr;
};

// Every collective once; returns what each rank's buffers hold afterwards, concatenated.
std::vector<std::vector<float>> run_collectives(Communicator& comm, const std::vector<int>& devices, bool on_device) {
  const int n = comm.size();
  std::vector<std::vector<float>> results(static_cast<std::size_t>(n));
  std::vector<std::thread> threads;
  for (int r = 0; r < n; ++r)
    threads.emplace_back([&, r] {
      if (on_device) cudaSetDevice(devices[std::size_t(r)]);
      const float base = float(r + 1);
      std::vector<float>& out = results[std::size_t(r)];
      auto keep = [&](Buffer& b) {
        const auto v = b.values();
        out.insert(out.end(), v.begin(), v.end());
      };
      Buffer sum({base, 0.5f * base, -base}, on_device);
      comm.allreduce_sum(r, sum.span());
      keep(sum);
      Buffer reduced({base, 3 * base}, on_device);
      comm.reduce_sum(r, n - 1, reduced.span());
      keep(reduced);
      Buffer broadcasted({base, base}, on_device);
      comm.broadcast(r, 0, broadcasted.span());
      keep(broadcasted);
      Buffer mine({base, -base}, on_device), all(std::vector<float>(2 * std::size_t(n)), on_device);
      comm.allgather(r, mine.span(), all.span());
      keep(all);
      std::vector<float> blocks;
      for (int k = 0; k < n; ++k) blocks.insert(blocks.end(), {float(k) + base, 2 * base});
      Buffer input(blocks, on_device), block(std::vector<float>(2), on_device);
      comm.reduce_scatter_sum(r, input.span(), block.span());
      keep(block);
      comm.barrier(r);
    });
  for (auto& t : threads) t.join();
  return results;
}

std::vector<std::vector<float>> reference(int ranks) {
  ThreadCommunicator threads(ranks);
  return run_collectives(threads, std::vector<int>(std::size_t(ranks), 0), false);
}

std::vector<int> all_gpus() {
  std::vector<int> devices;
  for (int d = 0; d < cuda_device_count(); ++d) devices.push_back(d);
  return devices;
}

// Each rank's buffer is produced by a kernel on the default stream that is still running when
// the collective is called (it writes first + i only after 100 ms); the collective is called at
// once. docs/architecture.md section 6: the communicator must order itself after that producer, so the sum is
// of the produced values, not of the zeros there before; and when it returns the result must be
// in place for any reader, so it is read back on a non-blocking stream, which waits for nothing
// (on one GPU NCCL's in-place allreduce moves no data, and only this read tells the orders apart).
template <typename T>
void expect_producer_kernel_ordered(Communicator& comm, const std::vector<int>& devices) {
  constexpr std::size_t kValues = std::size_t(1) << 16;  // sums stay exact integers in float
  const int n = comm.size();
  std::vector<std::vector<T>> results(static_cast<std::size_t>(n));
  std::vector<std::thread> threads;
  for (int r = 0; r < n; ++r)
    threads.emplace_back([&, r] {
      ASSERT_EQ(cudaSetDevice(devices[std::size_t(r)]), cudaSuccess);
      T* buffer = nullptr;
      ASSERT_EQ(cudaMalloc(&buffer, kValues * sizeof(T)), cudaSuccess);
      ASSERT_EQ(cudaMemset(buffer, 0, kValues * sizeof(T)), cudaSuccess);
      ASSERT_EQ(cudaDeviceSynchronize(), cudaSuccess);
      ASSERT_EQ(xrecon::testing::produce_after_delay(buffer, kValues, T(r + 1), 100.0), cudaSuccess);
      comm.allreduce_sum(r, std::span<T>(buffer, kValues));
      cudaStream_t reader = nullptr;
      ASSERT_EQ(cudaStreamCreateWithFlags(&reader, cudaStreamNonBlocking), cudaSuccess);
      std::vector<T>& out = results[std::size_t(r)];
      out.resize(kValues);
      ASSERT_EQ(cudaMemcpyAsync(out.data(), buffer, kValues * sizeof(T), cudaMemcpyDeviceToHost, reader), cudaSuccess);
      ASSERT_EQ(cudaStreamSynchronize(reader), cudaSuccess);
      cudaStreamDestroy(reader);
      cudaDeviceSynchronize();
      cudaFree(buffer);
    });
  for (auto& t : threads) t.join();
  // sum over ranks of (r + 1 + i) = n (n + 1) / 2 + n i
  for (int r = 0; r < n; ++r) {
    const std::vector<T>& got = results[std::size_t(r)];
    ASSERT_EQ(got.size(), kValues) << "rank " << r;
    std::size_t wrong = 0, first_wrong = kValues;
    for (std::size_t i = 0; i < kValues; ++i)
      if (got[i] != T(n * (n + 1) / 2) + T(n) * T(i) && wrong++ == 0) first_wrong = i;
    EXPECT_EQ(wrong, 0u) << "rank " << r << ": " << wrong << " of " << kValues << " values wrong, the first at "
                         << first_wrong << ": the collective did not wait for the kernel producing its buffer";
  }
}

}  // namespace

TEST(NcclCommunicator, WaitsForTheKernelProducingTheBuffer) {
  SKIP_WITHOUT_GPUS(1);
  const auto devices = all_gpus();
  NcclCommunicator nccl(devices);
  expect_producer_kernel_ordered<float>(nccl, devices);
  expect_producer_kernel_ordered<double>(nccl, devices);
}

TEST(CudaCommunicator, HostStagedBackendsWaitForTheKernelProducingTheBuffer) {
  SKIP_WITHOUT_GPUS(1);
  const auto devices = all_gpus();
  auto threads = make_cuda_communicator(devices, false);
  expect_producer_kernel_ordered<float>(*threads, devices);
  expect_producer_kernel_ordered<double>(*threads, devices);
  const std::vector<int> shared{0, 0};
  auto oversubscribed = make_cuda_communicator(shared);
  expect_producer_kernel_ordered<double>(*oversubscribed, shared);
}

TEST(NcclCommunicator, RefusesAGpuListedTwiceBeforeTouchingNccl) {
  EXPECT_THROW(NcclCommunicator({0, 0}), InputError);
}

TEST(NcclCommunicator, DeviceBuffersMatchTheThreadsBackend) {
  SKIP_WITHOUT_GPUS(1);
  const auto devices = all_gpus();
  NcclCommunicator nccl(devices);
  EXPECT_EQ(nccl.backend(), "nccl");
  EXPECT_EQ(run_collectives(nccl, devices, true), reference(int(devices.size())));
}

TEST(NcclCommunicator, HostBuffersAreStagedThroughTheGpu) {
  SKIP_WITHOUT_GPUS(1);
  const auto devices = all_gpus();
  NcclCommunicator nccl(devices);
  EXPECT_EQ(run_collectives(nccl, devices, false), reference(int(devices.size())));
}

TEST(NcclCommunicator, DoubleAllreduceMatchesTheThreadsBackend) {
  SKIP_WITHOUT_GPUS(1);
  const auto devices = all_gpus();
  NcclCommunicator nccl(devices);
  std::vector<std::vector<double>> sums(devices.size());
  std::vector<std::thread> threads;
  for (int r = 0; r < int(devices.size()); ++r)
    threads.emplace_back([&, r] {
      cudaSetDevice(devices[std::size_t(r)]);
      std::vector<double> host{r + 0.25, 1e10 * (r + 1)};
      double* device = nullptr;
      cudaMalloc(&device, sizeof(double) * 2);
      cudaMemcpy(device, host.data(), sizeof(double) * 2, cudaMemcpyHostToDevice);
      nccl.allreduce_sum(r, std::span<double>(device, 2));
      cudaMemcpy(host.data(), device, sizeof(double) * 2, cudaMemcpyDeviceToHost);
      cudaFree(device);
      sums[std::size_t(r)] = host;
    });
  for (auto& t : threads) t.join();
  const double n = double(devices.size());
  for (const auto& s : sums) EXPECT_EQ(s, (std::vector<double>{n * (n - 1) / 2 + 0.25 * n, 1e10 * n * (n + 1) / 2}));
}

TEST(NcclCommunicator, AbortWakesARankWaitingForAMissingPeer) {
  SKIP_WITHOUT_GPUS(2);
  NcclCommunicator nccl({0, 1});
  std::thread waiting([&] {
    cudaSetDevice(0);
    float value = 1;
    EXPECT_THROW(nccl.allreduce_sum(0, std::span<float>(&value, 1)), Cancelled);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  nccl.abort();
  waiting.join();
  float value = 1;
  EXPECT_THROW(nccl.allreduce_sum(1, std::span<float>(&value, 1)), Cancelled);
}

TEST(OversubscribedCommunicator, MoreRanksThanGpusUseHostStagedThreads) {
  SKIP_WITHOUT_GPUS(1);
  const std::vector<int> devices{0, 0, 0};
  auto comm = make_cuda_communicator(devices);
  EXPECT_EQ(comm->backend(), "threads-oversubscribed");
  EXPECT_EQ(run_collectives(*comm, devices, true), reference(3));
}

TEST(CudaCommunicator, DistinctGpusGetNccl) {
  SKIP_WITHOUT_GPUS(1);
  // Hierarchical when the GPUs form more than one NVLink clique and some clique has two or more.
  const std::string backend(make_cuda_communicator(all_gpus())->backend());
  EXPECT_TRUE(backend == "nccl" || backend == "hierarchical(nccl)") << backend;
}

TEST(CudaCommunicator, DistinctGpusWithoutNcclStageThroughHostThreads) {
  SKIP_WITHOUT_GPUS(1);
  const std::vector<int> devices = all_gpus();
  auto comm = make_cuda_communicator(devices, false);
  EXPECT_EQ(comm->backend(), "threads");
  EXPECT_EQ(run_collectives(*comm, devices, true), reference(int(devices.size())));
}
