#pragma once
#include <string>
#include <vector>

#include "xrecon/context.hpp"

namespace xrecon::engine {

// "auto" | "cpu" | "cpu:N" (N virtual CPU devices) | "cuda" (all GPUs) | "cuda:0,1".
// Throws InputError on bad syntax or absent GPUs, NotCompiled when CUDA was not built.
// A GPU listed twice (cuda:0,0: ranks oversubscribing one GPU) is refused unless
// `allow_shared_gpus`, which the threads communicator allows (NCCL does not).
std::vector<Device> parse_devices(const std::string& text, bool allow_shared_gpus = false);

// Number of CUDA devices present; -1 when this build has no CUDA backend.
int cuda_device_count();

}  // namespace xrecon::engine
