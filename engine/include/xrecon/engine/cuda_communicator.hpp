#pragma once
// The communicator for the CUDA devices of a stage; built only with CUDA.
#include <memory>
#include <vector>

#include "xrecon/communicator.hpp"

namespace xrecon::engine {

// Rank k runs on CUDA device devices[k]. Distinct devices get the nccl backend. A device listed
// more than once (more ranks than GPUs, e.g. to test a decomposition on a small machine) cannot
// use NCCL, so the ranks get the threads backend instead, with device buffers staged through host
// memory: its backend() is "threads-oversubscribed", and a warning says so in the log.
std::unique_ptr<Communicator> make_cuda_communicator(const std::vector<int>& devices);

}  // namespace xrecon::engine
