#include "xrecon/engine/cuda_communicator.hpp"

#include <map>
#include <set>

#include <spdlog/spdlog.h>

#include "xrecon/engine/hierarchical_communicator.hpp"
#include "xrecon/engine/host_staged_communicator.hpp"
#include "xrecon/engine/nccl_communicator.hpp"
#include "xrecon/engine/thread_communicator.hpp"
#include "xrecon/engine/topology.hpp"

namespace xrecon::engine {

namespace {

// Each rank's NVLink clique, numbered in the order the ranks first meet them.
std::vector<RankPlace> clique_places(const std::vector<int>& devices) {
  const std::vector<std::vector<int>> cliques = nvlink_cliques(read_topology().links);
  std::map<int, int> clique_of_device;
  for (std::size_t c = 0; c < cliques.size(); ++c)
    for (int d : cliques[c]) clique_of_device[d] = int(c);
  std::map<int, int> numbered;
  std::vector<RankPlace> places;
  for (int d : devices) {
    // A device the topology did not list is a clique of its own.
    const int clique = clique_of_device.count(d) ? clique_of_device[d] : -1 - d;
    const auto it = numbered.emplace(clique, int(numbered.size())).first;
    places.push_back({0, it->second});
  }
  return places;
}

}  // namespace

std::unique_ptr<Communicator> make_cuda_communicator(const std::vector<int>& devices, bool nccl) {
  const std::set<int> distinct(devices.begin(), devices.end());
  if (distinct.size() != devices.size()) {
    spdlog::warn("{} ranks on {} GPU(s): NCCL needs one GPU per rank, so the ranks exchange data through host "
                 "memory (threads-oversubscribed backend, much slower than NCCL)",
                 devices.size(), distinct.size());
    return std::make_unique<HostStagedCommunicator>(std::make_unique<ThreadCommunicator>(int(devices.size())),
                                                    "threads-oversubscribed");
  }
  if (!nccl)
    return std::make_unique<HostStagedCommunicator>(std::make_unique<ThreadCommunicator>(int(devices.size())),
                                                    "threads");
  std::vector<RankPlace> places = clique_places(devices);
  std::set<int> cliques;
  for (const RankPlace& p : places) cliques.insert(p.clique);
  // One clique, or no two GPUs sharing one (PCIe only): a hierarchy would add steps, not save any.
  if (cliques.size() <= 1 || cliques.size() == devices.size()) return std::make_unique<NcclCommunicator>(devices);
  auto communicator = std::make_unique<HierarchicalCommunicator>(
      std::move(places), [&devices](const std::vector<int>& ranks) -> std::unique_ptr<Communicator> {
        std::vector<int> group;
        for (int r : ranks) group.push_back(devices[std::size_t(r)]);
        return std::make_unique<NcclCommunicator>(group);
      });
  spdlog::info("{} GPUs in {} NVLink cliques: allreduce inside the cliques first\n{}", devices.size(), cliques.size(),
               describe_plan(communicator->plan()));
  return communicator;
}

}  // namespace xrecon::engine
