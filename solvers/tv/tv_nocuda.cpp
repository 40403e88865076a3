// Stand-in for the CUDA TV kernels in a build without CUDA: a cuda:k array cannot exist here, but
// the dispatch must still link, and say why if it is ever reached.
#include "tv_kernels.hpp"
#include "xrecon/error.hpp"

namespace xrecon::tv::kernels::cuda {

void chambolle(int, const float*, float*, float*, float*, const detail::Grid&, float, std::size_t) {
  throw NotCompiled("tv::prox on a CUDA array, but this xrecon was built without CUDA");
}

}  // namespace xrecon::tv::kernels::cuda
