#include "xrecon/engine/cuda_communicator.hpp"

#include <set>

#include <spdlog/spdlog.h>

#include "xrecon/engine/host_staged_communicator.hpp"
#include "xrecon/engine/nccl_communicator.hpp"
#include "xrecon/engine/thread_communicator.hpp"

namespace xrecon::engine {

std::unique_ptr<Communicator> make_cuda_communicator(const std::vector<int>& devices) {
  const std::set<int> distinct(devices.begin(), devices.end());
  if (distinct.size() == devices.size()) return std::make_unique<NcclCommunicator>(devices);
  spdlog::warn("{} ranks on {} GPU(s): NCCL needs one GPU per rank, so the ranks exchange data through host "
               "memory (threads-oversubscribed backend, much slower than NCCL)",
               devices.size(), distinct.size());
  return std::make_unique<HostStagedCommunicator>(std::make_unique<ThreadCommunicator>(int(devices.size())),
                                                  "threads-oversubscribed");
}

}  // namespace xrecon::engine
