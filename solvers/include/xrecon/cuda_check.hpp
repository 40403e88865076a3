#pragma once
// Turns failed CUDA runtime and cuFFT calls into xrecon::Error naming the call, the library's
// message and the source line (docs/architecture.md section 8). Include only from .cu files: builds without
// CUDA have none of these headers.
#include <cuda_runtime_api.h>
#include <cufft.h>

#include <string>

#include "xrecon/error.hpp"

namespace xrecon::detail {

[[noreturn]] inline void throw_cuda_error(cudaError_t status, const char* call, const char* file, int line) {
  throw Error(std::string(call) + " failed: " + cudaGetErrorName(status) + " (" + cudaGetErrorString(status) + ")",
              std::string(file) + ":" + std::to_string(line));
}

[[noreturn]] inline void throw_cufft_error(cufftResult status, const char* call, const char* file, int line) {
  throw Error(std::string(call) + " failed with cuFFT status " + std::to_string(int(status)),
              std::string(file) + ":" + std::to_string(line));
}

}  // namespace xrecon::detail

#define XRECON_CUDA_CHECK(call)                                                                 \
  do {                                                                                          \
    const cudaError_t xrecon_cuda_status_ = (call);                                             \
    if (xrecon_cuda_status_ != cudaSuccess)                                                     \
      ::xrecon::detail::throw_cuda_error(xrecon_cuda_status_, #call, __FILE__, __LINE__);       \
  } while (false)

#define XRECON_CUFFT_CHECK(call)                                                                \
  do {                                                                                          \
    const cufftResult xrecon_cufft_status_ = (call);                                            \
    if (xrecon_cufft_status_ != CUFFT_SUCCESS)                                                  \
      ::xrecon::detail::throw_cufft_error(xrecon_cufft_status_, #call, __FILE__, __LINE__);     \
  } while (false)

// After a kernel launch: a bad configuration shows up at once, faults inside the kernel at the
// next synchronising call.
#define XRECON_CUDA_CHECK_LAUNCH() XRECON_CUDA_CHECK(cudaGetLastError())
