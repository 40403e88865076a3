#include "xrecon/engine/reduction_plan.hpp"

#include <algorithm>
#include <map>
#include <sstream>
#include <utility>

namespace xrecon::engine {

namespace {

using Groups = std::vector<std::vector<int>>;

// Ranks grouped by `key`, each group ascending, groups ordered by their lowest rank.
template <typename Key>
Groups group_by(const std::vector<int>& ranks, Key key) {
  std::map<decltype(key(0)), std::size_t> index;
  Groups groups;
  for (int rank : ranks) {
    auto [it, added] = index.try_emplace(key(rank), groups.size());
    if (added) groups.emplace_back();
    groups[it->second].push_back(rank);
  }
  return groups;
}

std::vector<int> leaders(const Groups& groups) {
  std::vector<int> result;
  for (const auto& g : groups) result.push_back(g.front());
  return result;
}

}  // namespace

std::vector<ReductionStep> hierarchical_allreduce_plan(std::span<const RankPlace> places) {
  using Kind = ReductionStep::Kind;
  using Level = ReductionStep::Level;
  std::vector<int> all(places.size());
  for (std::size_t r = 0; r < places.size(); ++r) all[r] = int(r);
  const Groups cliques = group_by(all, [&](int r) { return std::pair(places[std::size_t(r)].node, places[std::size_t(r)].clique); });
  const std::vector<int> clique_leaders = leaders(cliques);
  const Groups nodes = group_by(clique_leaders, [&](int r) { return places[std::size_t(r)].node; });
  const std::vector<int> node_leaders = leaders(nodes);

  // The top level that has more than one group member does an allreduce instead of reduce +
  // broadcast: that is one collective fewer on the path every byte takes.
  const bool across_nodes = node_leaders.size() > 1;
  const bool across_cliques = !across_nodes && std::any_of(nodes.begin(), nodes.end(), [](const auto& n) { return n.size() > 1; });

  std::vector<ReductionStep> up;
  std::vector<std::vector<ReductionStep>> down_by_level;  // broadcasts, appended lowest level first
  auto add = [&](Level level, const Groups& groups, bool top) {
    down_by_level.emplace_back();
    for (const auto& g : groups) {
      if (g.size() < 2) continue;
      if (top) {
        up.push_back({Kind::allreduce, level, g, -1});
      } else {
        up.push_back({Kind::reduce, level, g, g.front()});
        down_by_level.back().push_back({Kind::broadcast, level, g, g.front()});
      }
    }
  };
  add(Level::clique, cliques, !across_nodes && !across_cliques);
  if (across_nodes || across_cliques) add(Level::node, nodes, across_cliques);
  if (across_nodes) add(Level::cluster, Groups{node_leaders}, true);
  // The way back down starts at the highest level.
  for (auto level = down_by_level.rbegin(); level != down_by_level.rend(); ++level)
    up.insert(up.end(), level->begin(), level->end());
  return up;
}

std::string describe_plan(const std::vector<ReductionStep>& steps) {
  static const char* kinds[] = {"reduce", "allreduce", "broadcast"};
  static const char* levels[] = {"clique", "node", "cluster"};
  std::ostringstream out;
  for (const ReductionStep& step : steps) {
    out << kinds[int(step.kind)] << " " << levels[int(step.level)] << " [";
    for (std::size_t k = 0; k < step.ranks.size(); ++k) out << (k ? "," : "") << step.ranks[k];
    out << "]";
    if (step.kind != ReductionStep::Kind::allreduce) out << " root " << step.root;
    out << "\n";
  }
  return out.str();
}

}  // namespace xrecon::engine
