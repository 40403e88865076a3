#include "cufft_plans.hpp"

#include <map>
#include <tuple>

#include "xrecon/cuda_check.hpp"

namespace xrecon::tomo::detail {
namespace {

void make_plans(std::size_t length, std::size_t batch, int device, RowFftPlans& plans) {
  XRECON_CUDA_CHECK(cudaSetDevice(device));
  int n = static_cast<int>(length);
  int real_stride = static_cast<int>(padded_row_floats(length)), complex_stride = static_cast<int>(length / 2 + 1);
  XRECON_CUFFT_CHECK(cufftPlanMany(&plans.forward, 1, &n, &real_stride, 1, real_stride, &complex_stride, 1,
                                   complex_stride, CUFFT_R2C, static_cast<int>(batch)));
  const cufftResult inverse = cufftPlanMany(&plans.inverse, 1, &n, &complex_stride, 1, complex_stride, &real_stride,
                                            1, real_stride, CUFFT_C2R, static_cast<int>(batch));
  if (inverse != CUFFT_SUCCESS) {
    cufftDestroy(plans.forward);
    XRECON_CUFFT_CHECK(inverse);
  }
}

}  // namespace

RowFftPlans& row_fft_plans(std::size_t length, std::size_t batch, int device) {
  // The plans are never destroyed: the cache lives as long as the process (plugins with CUDA code
  // are never unloaded), and at exit the CUDA context may be gone before a static destructor runs.
  static std::mutex mutex;
  static std::map<std::tuple<std::size_t, std::size_t, int>, RowFftPlans> cache;
  std::lock_guard lock(mutex);
  const auto [it, inserted] = cache.try_emplace(std::make_tuple(length, batch, device));
  if (inserted) {
    try {
      make_plans(length, batch, device, it->second);
    } catch (...) {
      cache.erase(it);
      throw;
    }
  }
  return it->second;
}

}  // namespace xrecon::tomo::detail
