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

// Number of CUDA devices present; -1 when this build has no CUDA backend. 0 when there is no GPU,
// and also when CUDA cannot be used here: cuda_device_problem() then says why.
int cuda_device_count();

// Empty when cuda_device_count() found devices, or found none because there are none (no driver
// installed, or the driver sees no GPU). Otherwise what stopped the CUDA runtime (a driver older
// than the toolkit, a device in a bad state): a fault of the machine, not an absence of GPUs, so
// that a GPU run whose tests all skip can say why. Logged once as a warning when first found.
std::string cuda_device_problem();

}  // namespace xrecon::engine
