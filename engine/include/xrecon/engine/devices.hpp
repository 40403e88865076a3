#pragma once
#include <string>
#include <vector>

#include "xrecon/context.hpp"

namespace xrecon::engine {

// "auto" | "cpu" | "cpu:N" (N virtual CPU devices) | "cuda" (all GPUs) | "cuda:0,1".
// Throws InputError on bad syntax or absent GPUs, NotCompiled when CUDA was not built.
std::vector<Device> parse_devices(const std::string& text);

// Number of CUDA devices present; -1 when this build has no CUDA backend.
int cuda_device_count();

}  // namespace xrecon::engine
