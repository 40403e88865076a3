#pragma once
// The `nccl` communicator backend: one rank per GPU of this node (docs/architecture.md section 6), each rank
// a host thread driving its own NCCL communicator and stream. Built only with CUDA.
// Buffers may be device memory (used in place) or host memory (staged through the rank's GPU).
// Stream ordering: a collective starts on the rank's stream only after everything queued on the
// rank's GPU in the legacy default stream (and so in every blocking stream, where the project's
// kernels and the SDK's copies run) before the call: the buffer's producer has finished. It
// returns once the collective and its copies are complete, so the caller may read the result.
#include <cuda_runtime_api.h>
#include <nccl.h>

#include <atomic>
#include <memory>
#include <vector>

#include "xrecon/communicator.hpp"

namespace xrecon::engine {

class NcclCommunicator final : public Communicator {
 public:
  // Rank k runs on CUDA device `devices[k]`. NCCL refuses a device listed twice: see
  // make_cuda_communicator for more ranks than GPUs.
  explicit NcclCommunicator(std::vector<int> devices);
  ~NcclCommunicator() override;
  NcclCommunicator(const NcclCommunicator&) = delete;
  NcclCommunicator& operator=(const NcclCommunicator&) = delete;

  int size() const override { return int(ranks_.size()); }
  std::string_view backend() const override { return "nccl"; }

  void allreduce_sum(int rank, std::span<double> values) override;
  void allreduce_sum(int rank, std::span<float> values) override;
  void reduce_sum(int rank, int root, std::span<float> values) override;
  void broadcast(int rank, int root, std::span<std::byte> bytes) override;
  using Communicator::broadcast;
  void allgather(int rank, std::span<const float> mine, std::span<float> all) override;
  void reduce_scatter_sum(int rank, std::span<const float> input, std::span<float> mine) override;
  void barrier(int rank) override;
  // Sets a flag every rank checks while it waits; each rank then aborts its own NCCL
  // communicator (ncclCommAbort), which also ends a kernel still waiting for a missing peer.
  void abort() noexcept override;

 private:
  struct Rank {
    int device = 0;
    ncclComm_t comm = nullptr;
    cudaStream_t stream = nullptr;
    cudaEvent_t produced = nullptr;  // recorded on the legacy default stream at each collective
    bool comm_aborted = false;
  };
  // Where a collective reads and writes on the GPU: the caller's buffer, or a staging copy.
  struct Staged;

  // Checks the rank, selects its GPU and orders its stream after the buffers' producers.
  Rank& enter(int rank, const char* operation);
  // Waits for the rank's stream, watching for abort() and NCCL's asynchronous errors.
  void finish(Rank& rank, const char* operation);
  template <typename T>
  void allreduce(int rank, std::span<T> values, ncclDataType_t type);

  std::vector<Rank> ranks_;
  std::atomic<bool> aborted_{false};
};

}  // namespace xrecon::engine
