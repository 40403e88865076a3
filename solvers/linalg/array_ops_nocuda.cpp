// Stand-ins for the CUDA array operations in a build without CUDA: a cuda:k array cannot exist
// here, but the dispatch must still link, and say why if it is ever reached.
#include "array_ops_kernels.hpp"
#include "xrecon/error.hpp"

namespace xrecon::linalg::kernels::cuda {

namespace {
[[noreturn]] void not_compiled(const char* op) {
  throw NotCompiled(std::string("linalg::") + op + " on a CUDA array, but this xrecon was built without CUDA");
}
}  // namespace

double dot(int, const float*, const float*, std::size_t) { not_compiled("dot"); }
void fill(int, float*, float, std::size_t) { not_compiled("fill"); }
void axpy(int, float, const float*, float*, std::size_t) { not_compiled("axpy"); }
void xpay(int, const float*, float, float*, std::size_t) { not_compiled("xpay"); }
void multiply(int, const float*, float*, std::size_t) { not_compiled("multiply"); }
void weighted_axpy(int, const float*, const float*, float*, std::size_t) { not_compiled("weighted_axpy"); }
void clamp(int, float*, float, float, std::size_t) { not_compiled("clamp"); }
void invert_above(int, float*, float, float, std::size_t) { not_compiled("invert_above"); }

}  // namespace xrecon::linalg::kernels::cuda
