// Stand-ins for the CUDA transmission kernels in a build without CUDA: a cuda:k array cannot exist
// here, but the dispatch must still link, and say why if it is ever reached.
#include <string>

#include "transmission_kernels.hpp"
#include "xrecon/error.hpp"

namespace xrecon::joint::kernels::cuda {
namespace {
[[noreturn]] void not_compiled(const char* op) {
  throw NotCompiled(std::string("joint::") + op + " on a CUDA array, but this xrecon was built without CUDA");
}
}  // namespace

void transmission(int, const float*, const float*, Complex*, std::size_t) { not_compiled("transmission"); }
void ray_weights(int, const float*, float*, std::size_t) { not_compiled("ray_weights"); }
void side_means(int, const Complex*, std::size_t, std::size_t, std::size_t, detail::SideMean*) {
  not_compiled("linearised_log");
}
void linearised_log(int, const Complex*, const detail::SideReference*, std::size_t, std::size_t, float*, float*) {
  not_compiled("linearised_log");
}

}  // namespace xrecon::joint::kernels::cuda
