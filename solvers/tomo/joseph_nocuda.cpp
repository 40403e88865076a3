// Stands in for joseph_cuda.cu in builds without CUDA.
#include "joseph_kernels.hpp"
#include "xrecon/error.hpp"

namespace xrecon::tomo::kernels::cuda {
namespace {
[[noreturn]] void not_compiled() {
  throw NotCompiled("the tomography projectors on a GPU need a build with CUDA (-DXRECON_CUDA=ON)");
}
}  // namespace

void project(int, const float*, const ProjectorShape&, std::span<const AngleTerms>, float*) { not_compiled(); }

void backproject(int, const float*, const ProjectorShape&, std::span<const BackprojectionAngle>, float*) {
  not_compiled();
}

}  // namespace xrecon::tomo::kernels::cuda
