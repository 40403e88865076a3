#pragma once
// The order of a hierarchical allreduce (docs/architecture.md section 6): sums meet inside each NVLink
// clique first, then between the clique leaders of a node (PCIe), then between the node leaders
// (network); the result travels back down the same tree. Only leaders cross the slow links.
#include <span>
#include <string>
#include <vector>

namespace xrecon::engine {

// Where a rank runs. Ranks with the same node and clique share an NVLink clique.
struct RankPlace {
  int node = 0;
  int clique = 0;
};

struct ReductionStep {
  enum class Kind { reduce, allreduce, broadcast };
  enum class Level { clique, node, cluster };
  Kind kind = Kind::reduce;
  Level level = Level::clique;
  // The ranks taking part, ascending; `root` is one of them (the leader), unused for allreduce.
  std::vector<int> ranks;
  int root = -1;
  bool operator==(const ReductionStep&) const = default;
};

// The steps in the order they run; steps that only one rank would take are left out, so a
// single clique is one allreduce. A group's leader is its lowest rank. Steps of the same level
// and kind involve disjoint ranks and may run at the same time.
std::vector<ReductionStep> hierarchical_allreduce_plan(std::span<const RankPlace> places);

// "reduce clique [0,1] -> 0" etc., one step a line, for logs and test messages.
std::string describe_plan(const std::vector<ReductionStep>& steps);

}  // namespace xrecon::engine
