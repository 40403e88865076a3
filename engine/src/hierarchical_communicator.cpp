#include "xrecon/engine/hierarchical_communicator.hpp"

#include <algorithm>
#include <type_traits>

#include "xrecon/error.hpp"

namespace xrecon::engine {

HierarchicalCommunicator::HierarchicalCommunicator(std::vector<RankPlace> places, const Factory& make)
    : plan_(hierarchical_allreduce_plan(places)) {
  XRECON_CHECK(!places.empty(), "a hierarchical communicator needs at least one rank");
  std::vector<int> all(places.size());
  for (std::size_t r = 0; r < all.size(); ++r) all[r] = int(r);
  flat_ = make(all);
  for (const ReductionStep& step : plan_) step_comms_.push_back(make(step.ranks));
  name_ = "hierarchical(" + std::string(flat_->backend()) + ")";
}

template <typename T>
void HierarchicalCommunicator::allreduce(int rank, std::span<T> values) {
  XRECON_CHECK(rank >= 0 && rank < size(), "allreduce_sum: rank " + std::to_string(rank) + " is outside 0 .. " +
                                               std::to_string(size() - 1));
  using Kind = ReductionStep::Kind;
  for (std::size_t s = 0; s < plan_.size(); ++s) {
    const ReductionStep& step = plan_[s];
    const auto me = std::find(step.ranks.begin(), step.ranks.end(), rank);
    if (me == step.ranks.end()) continue;
    const int local = int(me - step.ranks.begin());
    const int root = int(std::find(step.ranks.begin(), step.ranks.end(), step.root) - step.ranks.begin());
    Communicator& comm = *step_comms_[s];
    if (step.kind == Kind::broadcast) {
      comm.broadcast(local, root, std::as_writable_bytes(values));
    } else if constexpr (std::is_same_v<T, float>) {
      if (step.kind == Kind::reduce)
        comm.reduce_sum(local, root, values);
      else
        comm.allreduce_sum(local, values);
    } else {
      // The interface reduces doubles only with allreduce; the members' extra copy of the
      // partial sum is overwritten by the broadcast on the way down.
      comm.allreduce_sum(local, values);
    }
  }
}

void HierarchicalCommunicator::abort() noexcept {
  flat_->abort();
  for (auto& comm : step_comms_) comm->abort();
}

}  // namespace xrecon::engine
