// The ramp filter on a GPU: rows are zero-padded into a batch buffer, transformed in place by
// cuFFT, multiplied by the response the host computed for the CPU as well, transformed back and
// cropped. The batches have a power-of-two number of rows, so that a row length needs few plans
// whatever the number of rows, and a bounded size, which bounds the scratch and the plans' work
// areas.
#include <algorithm>

#include "cufft_plans.hpp"
#include "fbp_kernels.hpp"
#include "xrecon/cuda_check.hpp"
#include "xrecon/cuda_scratch.hpp"

namespace xrecon::tomo::kernels::cuda {
namespace {

constexpr unsigned kThreads = 256;
constexpr std::size_t kBatchBytes = std::size_t(256) << 20;
constexpr std::size_t kMaxBatchRows = 32768;  // rows go on the grid's y axis (at most 65535)

unsigned ceil_div(std::size_t a, std::size_t b) { return static_cast<unsigned>((a + b - 1) / b); }

// The smallest power of two >= lines, capped at the largest power of two that fits the budget.
std::size_t batch_rows(std::size_t lines, std::size_t row_floats) {
  const std::size_t limit = std::clamp<std::size_t>(kBatchBytes / (row_floats * sizeof(float)), 1, kMaxBatchRows);
  std::size_t batch = 1;
  while (batch < lines && 2 * batch <= limit) batch *= 2;
  return batch;
}

// Row q of the batch takes line first + q of the selection (line g = angle * count + s is
// detector row s of the range at that angle), zero-padded to row_floats; rows past the last line
// are zeroed so every transform sees defined data.
__global__ void load_rows_kernel(const float* __restrict__ projections, SliceRange range, std::size_t cols,
                                 std::size_t first, std::size_t lines, std::size_t row_floats, float* __restrict__ rows) {
  const std::size_t i = std::size_t(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i >= row_floats) return;
  const std::size_t line = first + blockIdx.y;
  float value = 0.0f;
  if (line < lines && i < cols) {
    const std::size_t angle = line / range.count, s = line % range.count;
    value = projections[(angle * range.slices + range.begin + s) * cols + i];
  }
  rows[blockIdx.y * row_floats + i] = value;
}

__global__ void apply_response_kernel(cufftComplex* __restrict__ spectra, const float* __restrict__ response,
                                      std::size_t bins) {
  const std::size_t m = std::size_t(blockIdx.x) * blockDim.x + threadIdx.x;
  if (m >= bins) return;
  cufftComplex& c = spectra[blockIdx.y * bins + m];
  c.x *= response[m];
  c.y *= response[m];
}

__global__ void store_rows_kernel(const float* __restrict__ rows, std::size_t row_floats, std::size_t cols,
                                  std::size_t first, float* __restrict__ filtered) {
  const std::size_t i = std::size_t(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i >= cols) return;
  filtered[(first + blockIdx.y) * cols + i] = rows[blockIdx.y * row_floats + i];
}

}  // namespace

void filter_rows(int device, const float* projections, std::size_t angles, std::size_t cols, SliceRange range,
                 std::span<const float> response, float* filtered) {
  XRECON_CUDA_CHECK(cudaSetDevice(device));
  const std::size_t bins = response.size(), length = 2 * (bins - 1);
  const std::size_t row_floats = detail::padded_row_floats(length);
  const std::size_t lines = angles * range.count;
  const std::size_t batch = batch_rows(lines, row_floats);

  const xrecon::detail::DeviceScratch<float> device_response(response);
  const xrecon::detail::DeviceScratch<float> rows(batch * row_floats);
  auto* spectra = reinterpret_cast<cufftComplex*>(rows.data());
  detail::RowFftPlans& plans = detail::row_fft_plans(length, batch, device);
  const std::lock_guard use(plans.in_use);
  for (std::size_t first = 0; first < lines; first += batch) {
    const auto count = static_cast<unsigned>(std::min(batch, lines - first));
    load_rows_kernel<<<dim3(ceil_div(row_floats, kThreads), unsigned(batch)), kThreads>>>(
        projections, range, cols, first, lines, row_floats, rows.data());
    XRECON_CUDA_CHECK_LAUNCH();
    XRECON_CUFFT_CHECK(cufftExecR2C(plans.forward, rows.data(), spectra));
    apply_response_kernel<<<dim3(ceil_div(bins, kThreads), count), kThreads>>>(spectra, device_response.data(), bins);
    XRECON_CUDA_CHECK_LAUNCH();
    XRECON_CUFFT_CHECK(cufftExecC2R(plans.inverse, spectra, rows.data()));
    store_rows_kernel<<<dim3(ceil_div(cols, kThreads), count), kThreads>>>(rows.data(), row_floats, cols, first,
                                                                          filtered);
    XRECON_CUDA_CHECK_LAUNCH();
  }
}

}  // namespace xrecon::tomo::kernels::cuda
