#pragma once
// Wraps a communicator that works on host memory (threads, or MPI that is not CUDA-aware) so that
// its ranks may pass device buffers: they are copied to host memory, exchanged there, and copied
// back. Host buffers pass straight through. Built only with CUDA.
#include <memory>
#include <string>

#include "xrecon/communicator.hpp"

namespace xrecon::engine {

class HostStagedCommunicator final : public Communicator {
 public:
  HostStagedCommunicator(std::unique_ptr<Communicator> host, std::string name);

  int size() const override { return host_->size(); }
  std::string_view backend() const override { return name_; }
  bool drives_rank(int rank) const override { return host_->drives_rank(rank); }

  void allreduce_sum(int rank, std::span<double> values) override;
  void allreduce_sum(int rank, std::span<float> values) override;
  void reduce_sum(int rank, int root, std::span<float> values) override;
  void broadcast(int rank, int root, std::span<std::byte> bytes) override;
  using Communicator::broadcast;
  void allgather(int rank, std::span<const float> mine, std::span<float> all) override;
  void reduce_scatter_sum(int rank, std::span<const float> input, std::span<float> mine) override;
  void barrier(int rank) override { host_->barrier(rank); }
  void abort() noexcept override { host_->abort(); }

 private:
  std::unique_ptr<Communicator> host_;
  std::string name_;
};

}  // namespace xrecon::engine
