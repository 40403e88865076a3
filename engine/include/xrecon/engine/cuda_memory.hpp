#pragma once
// Which side of the PCIe bus a buffer lives on; built only with CUDA.
namespace xrecon::engine {

// True for memory only a GPU can read (cudaMalloc); false for host, pinned host and managed memory.
bool is_device_memory(const void* pointer);

}  // namespace xrecon::engine
