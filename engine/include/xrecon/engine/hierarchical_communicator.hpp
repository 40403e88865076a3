#pragma once
// A communicator whose allreduce follows hierarchical_allreduce_plan: inside NVLink cliques
// first, then between clique leaders and node leaders (docs/architecture.md section 6). Each group of the
// plan gets its own communicator from `make`, so the same wrapper runs over threads, NCCL or
// MPI; the other collectives go to one flat communicator over all ranks.
// Sums are grouped by clique, then by node, so they are rounded in a different order than the
// flat allreduce's rank order: equal for exact sums, possibly not in the last bits otherwise.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "xrecon/communicator.hpp"
#include "xrecon/engine/reduction_plan.hpp"

namespace xrecon::engine {

class HierarchicalCommunicator final : public Communicator {
 public:
  // Makes a communicator over `ranks` (ascending ranks of this one); its rank k is ranks[k].
  using Factory = std::function<std::unique_ptr<Communicator>(const std::vector<int>& ranks)>;

  HierarchicalCommunicator(std::vector<RankPlace> places, const Factory& make);

  int size() const override { return flat_->size(); }
  std::string_view backend() const override { return name_; }
  bool drives_rank(int rank) const override { return flat_->drives_rank(rank); }
  const std::vector<ReductionStep>& plan() const { return plan_; }

  void allreduce_sum(int rank, std::span<double> values) override { allreduce(rank, values); }
  void allreduce_sum(int rank, std::span<float> values) override { allreduce(rank, values); }
  void reduce_sum(int rank, int root, std::span<float> values) override { flat_->reduce_sum(rank, root, values); }
  void broadcast(int rank, int root, std::span<std::byte> bytes) override { flat_->broadcast(rank, root, bytes); }
  using Communicator::broadcast;
  void allgather(int rank, std::span<const float> mine, std::span<float> all) override { flat_->allgather(rank, mine, all); }
  void reduce_scatter_sum(int rank, std::span<const float> input, std::span<float> mine) override {
    flat_->reduce_scatter_sum(rank, input, mine);
  }
  void barrier(int rank) override { flat_->barrier(rank); }
  void abort() noexcept override;

 private:
  template <typename T>
  void allreduce(int rank, std::span<T> values);

  std::vector<ReductionStep> plan_;
  std::unique_ptr<Communicator> flat_;
  std::vector<std::unique_ptr<Communicator>> step_comms_;  // one per step of plan_
  std::string name_;
};

}  // namespace xrecon::engine
