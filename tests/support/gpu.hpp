#pragma once
// GPU tests run for real whenever a GPU is present and skip with the reason otherwise
// (docs/architecture.md section 7). Link xrecon_test_support (it brings the engine's device count).
#include <gtest/gtest.h>

#include <string>

#include "xrecon/engine/devices.hpp"
#include "xrecon/memory.hpp"

namespace xrecon::testing {

// Empty when CUDA is built and a device is present, else why the GPU tests cannot run.
inline std::string gpu_unavailable_reason() {
  if (!cuda_compiled()) return "built without CUDA (-DXRECON_CUDA=OFF or no toolkit)";
  if (engine::cuda_device_count() <= 0) {
    // A CUDA that is there but unusable (an old driver) is named, so a GPU run does not read it as "no GPU".
    const std::string problem = engine::cuda_device_problem();
    return problem.empty() ? "no CUDA device present" : "no usable CUDA device: " + problem;
  }
  return {};
}

}  // namespace xrecon::testing

#define XRECON_REQUIRE_GPU()                                                                \
  do {                                                                                      \
    if (const std::string reason = ::xrecon::testing::gpu_unavailable_reason(); !reason.empty()) \
      GTEST_SKIP() << reason;                                                               \
  } while (false)
