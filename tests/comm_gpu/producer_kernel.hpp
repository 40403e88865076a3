#pragma once
// A producer for the stream-ordering tests: a kernel on the legacy default stream (where the
// solvers' kernels run) that writes data[i] = first + i only after spinning for `milliseconds`,
// so that the buffer is still being produced when the launch returns to the host.
#include <cuda_runtime_api.h>

#include <cstddef>

namespace xrecon::testing {

cudaError_t produce_after_delay(float* data, std::size_t n, float first, double milliseconds);
cudaError_t produce_after_delay(double* data, std::size_t n, double first, double milliseconds);

}  // namespace xrecon::testing
