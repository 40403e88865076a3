#include <cuda_runtime_api.h>
#include <dlfcn.h>

#include <mutex>
#include <string>

#include <spdlog/spdlog.h>

#include "xrecon/engine/devices.hpp"

namespace xrecon::engine {

namespace {

struct Discovery {
  int count = 0;
  std::string problem;  // empty: devices found, or plainly none here
};

std::string cuda_version_text(int version) {
  return std::to_string(version / 1000) + "." + std::to_string(version % 1000 / 10);
}

// The CUDA runtime answers cudaErrorInsufficientDriver both on a machine with no driver at all (no
// GPU: nothing to report) and on one whose driver is older than this runtime (a GPU we cannot
// use: a fault to report). The runtime has tried to load libcuda.so.1 by now, so RTLD_NOLOAD
// tells the two apart, and the driver's own version says by how much it is too old.
std::string insufficient_driver_problem() {
  void* driver = dlopen("libcuda.so.1", RTLD_LAZY | RTLD_NOLOAD);
  if (!driver) driver = dlopen("libcuda.so.1", RTLD_LAZY);
  if (!driver) return {};
  std::string text = "the CUDA driver (libcuda.so.1) is present but ";
  using GetVersion = int (*)(int*);
  int driver_version = 0, runtime_version = 0;
  const auto get = reinterpret_cast<GetVersion>(dlsym(driver, "cuDriverGetVersion"));
  if (get && get(&driver_version) == 0 && cudaRuntimeGetVersion(&runtime_version) == cudaSuccess)
    text += "supports CUDA " + cuda_version_text(driver_version) + ", older than this xrecon's runtime (CUDA " +
            cuda_version_text(runtime_version) + "): update the driver";
  else
    text += "refused this xrecon's CUDA runtime (cudaErrorInsufficientDriver)";
  dlclose(driver);
  return text;
}

Discovery discover() {
  Discovery found;
  const cudaError_t status = cudaGetDeviceCount(&found.count);
  if (status == cudaSuccess) return found;
  found.count = 0;
  // No GPU here: not an error of the pipeline, and the CPU runs it.
  if (status == cudaErrorNoDevice) return found;
  if (status == cudaErrorInsufficientDriver)
    found.problem = insufficient_driver_problem();
  else
    found.problem = std::string("the CUDA runtime reports ") + cudaGetErrorName(status) + " (" +
                    cudaGetErrorString(status) + ")";
  return found;
}

// Asked once per process: the answer cannot change, and a failed query is logged only once.
const Discovery& discovery() {
  static const Discovery found = discover();
  static std::once_flag logged;
  if (!found.problem.empty())
    std::call_once(logged, [] { spdlog::warn("no usable CUDA device: {}", found.problem); });
  return found;
}

}  // namespace

int cuda_device_count() { return discovery().count; }

std::string cuda_device_problem() { return discovery().problem; }

}  // namespace xrecon::engine
