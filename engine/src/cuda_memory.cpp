#include "xrecon/engine/cuda_memory.hpp"

#include <cuda_runtime_api.h>

namespace xrecon::engine {

bool is_device_memory(const void* pointer) {
  cudaPointerAttributes attributes{};
  if (!pointer || cudaPointerGetAttributes(&attributes, pointer) != cudaSuccess) {
    cudaGetLastError();  // a plain host pointer may leave an error behind on old drivers; clear it
    return false;
  }
  return attributes.type == cudaMemoryTypeDevice;
}

}  // namespace xrecon::engine
