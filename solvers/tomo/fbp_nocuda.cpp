// Stands in for ramp_filter_cuda.cu and fbp_cuda.cu in builds without CUDA.
#include "fbp_kernels.hpp"
#include "xrecon/error.hpp"

namespace xrecon::tomo::kernels::cuda {
namespace {
[[noreturn]] void not_compiled() {
  throw NotCompiled("filtered backprojection on a GPU needs a build with CUDA (-DXRECON_CUDA=ON)");
}
}  // namespace

void filter_rows(int, const float*, std::size_t, std::size_t, SliceRange, std::span<const float>, float*) {
  not_compiled();
}

void fbp(int, const float*, const ProjectorShape&, std::span<const float>, std::span<const BackprojectionAngle>,
         const std::function<void(std::size_t)>&, float*) {
  not_compiled();
}

}  // namespace xrecon::tomo::kernels::cuda
