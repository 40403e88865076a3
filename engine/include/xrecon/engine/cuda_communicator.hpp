#pragma once
// The communicator for the CUDA devices of a stage; built only with CUDA.
#include <memory>
#include <vector>

#include "xrecon/communicator.hpp"

namespace xrecon::engine {

// Rank k runs on CUDA device devices[k].
// - Distinct devices with `nccl`: the nccl backend; when the devices span more than one NVLink
//   clique (topology.hpp), a HierarchicalCommunicator whose allreduce sums inside each clique
//   first, each group of its plan being its own NCCL communicator.
// - Distinct devices without `nccl`: the threads backend with device buffers staged through host
//   memory (backend "threads").
// - A device listed more than once (more ranks than GPUs, e.g. to test a decomposition on a small
//   machine) cannot use NCCL, which refuses duplicate devices: the ranks get the threads backend,
//   staged through host memory, its backend() is "threads-oversubscribed", and a warning says so.
std::unique_ptr<Communicator> make_cuda_communicator(const std::vector<int>& devices, bool nccl = true);

}  // namespace xrecon::engine
