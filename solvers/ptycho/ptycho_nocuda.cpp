// Stand-ins for the CUDA ptychography kernels in a build without CUDA: a cuda:k array cannot exist
// here, but the dispatch must still link, and say why if it is ever reached.
#include "ptycho_kernels.hpp"
#include "xrecon/error.hpp"

namespace xrecon::ptycho::kernels::cuda {
namespace {
[[noreturn]] void not_compiled(const char* op) {
  throw NotCompiled(std::string("ptycho ") + op + " on a CUDA array, but this xrecon was built without CUDA");
}
}  // namespace

void crop_windows(int, const Complex*, std::size_t, std::size_t, const double*, std::size_t, std::size_t, std::size_t,
                  Complex*) {
  not_compiled("crop_windows");
}
void scatter_windows(int, const Complex*, const Complex*, const double*, std::size_t, std::size_t, std::size_t,
                     ComplexD*, std::size_t, std::size_t) {
  not_compiled("scatter_windows");
}
void probe_gradient(int, const Complex*, const Complex*, std::size_t, std::size_t, ComplexD*) {
  not_compiled("probe_gradient");
}
void propagate(int, const Complex*, const Complex*, std::size_t, std::size_t, std::size_t, std::size_t, std::size_t,
               Complex*) {
  not_compiled("propagate");
}
void backpropagate(int, Complex*, std::size_t, std::size_t, std::size_t, std::size_t, std::size_t, Complex*) {
  not_compiled("backpropagate");
}
void reorder(int, const float*, std::size_t, std::size_t, std::size_t, bool, float*) { not_compiled("reorder"); }
void reorder(int, const Complex*, std::size_t, std::size_t, std::size_t, bool, Complex*) { not_compiled("reorder"); }
void square_root(int, float*, std::size_t) { not_compiled("square_root"); }
double data_cost(int, const Complex*, const float*, std::size_t, bool) { not_compiled("data_cost"); }
double data_cost_change_along(int, const Complex*, const Complex*, double, const float*, std::size_t, bool) {
  not_compiled("data_cost_change_along");
}
void residual(int, const Complex*, const float*, std::size_t, bool, Complex*) { not_compiled("residual"); }
double real_dot(int, const Complex*, const Complex*, std::size_t) { not_compiled("real_dot"); }
void axpy(int, float, const Complex*, Complex*, std::size_t) { not_compiled("axpy"); }
void descent_update(int, const Complex*, float, Complex*, std::size_t) { not_compiled("descent_update"); }
void round_to_float(int, const ComplexD*, Complex*, std::size_t) { not_compiled("round_to_float"); }
void zero(int, void*, std::size_t) { not_compiled("zero"); }
void finish_queued_work(int) { not_compiled("finish_queued_work"); }
bool clamp_amplitude(int, Complex*, std::size_t, float) { not_compiled("clamp_amplitude"); }
void fft2_frames(int, Complex*, std::size_t, std::size_t, std::size_t, bool) { not_compiled("fft2_frames"); }

}  // namespace xrecon::ptycho::kernels::cuda
