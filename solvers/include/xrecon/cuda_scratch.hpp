#pragma once
// Temporary device memory for the CUDA kernels (angle tables, partial sums, transposed copies),
// allocated and freed in the order of the legacy default stream that all solver work runs on:
// cudaFree would wait for the whole device, the stream-ordered pool does not, and it reuses freed
// blocks cheaply. Include only from .cu files.
#include <cstddef>
#include <span>

#include "xrecon/cuda_check.hpp"

namespace xrecon::detail {

template <typename T>
class DeviceScratch {
 public:
  // `count` uninitialised elements on the current device.
  explicit DeviceScratch(std::size_t count) : count_(count) {
    XRECON_CUDA_CHECK(cudaMallocAsync(reinterpret_cast<void**>(&data_), (count == 0 ? 1 : count) * sizeof(T), 0));
  }
  // A copy of `host` on the current device. The host memory may be released on return.
  explicit DeviceScratch(std::span<const T> host) : DeviceScratch(host.size()) {
    XRECON_CUDA_CHECK(cudaMemcpyAsync(data_, host.data(), host.size_bytes(), cudaMemcpyHostToDevice, 0));
  }
  ~DeviceScratch() { cudaFreeAsync(data_, 0); }
  DeviceScratch(const DeviceScratch&) = delete;
  DeviceScratch& operator=(const DeviceScratch&) = delete;

  T* data() const { return data_; }
  std::size_t size() const { return count_; }

 private:
  T* data_ = nullptr;
  std::size_t count_ = 0;
};

}  // namespace xrecon::detail
