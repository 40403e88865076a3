#include <cuda_runtime_api.h>

#include "xrecon/engine/devices.hpp"

namespace xrecon::engine {

int cuda_device_count() {
  int count = 0;
  // No driver or no GPU both mean "no CUDA device here", not an error of the pipeline.
  if (cudaGetDeviceCount(&count) != cudaSuccess) return 0;
  return count;
}

}  // namespace xrecon::engine
