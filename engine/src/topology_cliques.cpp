#include <algorithm>

#include "xrecon/engine/topology.hpp"

namespace xrecon::engine {

namespace {

bool joined_by_nvlink(const LinkMatrix& links, int a, int b) {
  // Both directions: a one-sided report is not trusted to carry a reduction both ways.
  return links[std::size_t(a)][std::size_t(b)].nvlink == GpuLink::NvLink::present &&
         links[std::size_t(b)][std::size_t(a)].nvlink == GpuLink::NvLink::present;
}

}  // namespace

std::vector<std::vector<int>> nvlink_cliques(const LinkMatrix& links) {
  std::vector<std::vector<int>> cliques;
  for (int gpu = 0; gpu < int(links.size()); ++gpu) {
    auto fits = [&](const std::vector<int>& clique) {
      return std::all_of(clique.begin(), clique.end(), [&](int member) { return joined_by_nvlink(links, gpu, member); });
    };
    auto home = std::find_if(cliques.begin(), cliques.end(), fits);
    if (home == cliques.end())
      cliques.push_back({gpu});
    else
      home->push_back(gpu);
  }
  return cliques;
}

}  // namespace xrecon::engine
