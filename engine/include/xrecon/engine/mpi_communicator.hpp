#pragma once
// The `mpi` communicator backend: one rank per process, across nodes (docs/architecture.md section 6).
// Built only when CMake finds MPI. The caller owns MPI_Init/MPI_Finalize; each process passes
// its own rank to every call, which is checked against MPI's.
// Buffers are host memory: when MPI is not CUDA-aware, device buffers must be staged through
// host memory first (cuda_aware() tells which).
#include <mpi.h>

#include "xrecon/communicator.hpp"

namespace xrecon::engine {

class MpiCommunicator final : public Communicator {
 public:
  // Works on a duplicate of `parent`, so xrecon's messages never meet the caller's.
  explicit MpiCommunicator(MPI_Comm parent = MPI_COMM_WORLD);
  ~MpiCommunicator() override;
  MpiCommunicator(const MpiCommunicator&) = delete;
  MpiCommunicator& operator=(const MpiCommunicator&) = delete;

  int size() const override { return size_; }
  int rank() const { return rank_; }
  std::string_view backend() const override { return "mpi"; }
  // A process drives only its own rank.
  bool drives_rank(int rank) const override { return rank == rank_; }
  // True when this MPI library takes device pointers (MPIX_Query_cuda_support, Open MPI).
  static bool cuda_aware();

  // Float sums are reduced in float by MPI, unlike the threads backend which sums in double.
  void allreduce_sum(int rank, std::span<double> values) override;
  void allreduce_sum(int rank, std::span<float> values) override;
  void reduce_sum(int rank, int root, std::span<float> values) override;
  void broadcast(int rank, int root, std::span<std::byte> bytes) override;
  using Communicator::broadcast;
  void allgather(int rank, std::span<const float> mine, std::span<float> all) override;
  void reduce_scatter_sum(int rank, std::span<const float> input, std::span<float> mine) override;
  void barrier(int rank) override;
  // Processes cannot be woken one by one: this ends every process of the job (MPI_Abort).
  void abort() noexcept override;

 private:
  void check_rank(int rank, const char* operation) const;

  MPI_Comm comm_ = MPI_COMM_NULL;
  int size_ = 0;
  int rank_ = 0;
};

}  // namespace xrecon::engine
