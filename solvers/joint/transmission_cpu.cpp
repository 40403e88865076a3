// OpenMP loops of the transmission and its linearised log over transmission_math.hpp. Every pixel
// is independent and each image's side mean is added in one order, so the results do not depend
// on the thread count.
#include <cstddef>

#include "../ptycho/parallel.hpp"
#include "transmission_kernels.hpp"

namespace xrecon::joint::kernels::cpu {
namespace {
using Index = std::ptrdiff_t;  // OpenMP wants a signed loop variable
using ptycho::detail::worth_parallel;
}  // namespace

void transmission(const float* phase, const float* attenuation, Complex* h, std::size_t n) {
  float* out = reinterpret_cast<float*>(h);
#pragma omp parallel for if(worth_parallel(n)) schedule(static)
  for (Index i = 0; i < Index(n); ++i) detail::transmission_of(phase[i], attenuation[i], out[2 * i], out[2 * i + 1]);
}

void ray_weights(const float* attenuation, float* weights, std::size_t n) {
#pragma omp parallel for if(worth_parallel(n)) schedule(static)
  for (Index i = 0; i < Index(n); ++i) weights[i] = detail::ray_weight_of(attenuation[i]);
}

void side_means(const Complex* t, std::size_t count, std::size_t rows, std::size_t cols, detail::SideMean* means) {
  const float* in = reinterpret_cast<const float*>(t);
  for (std::size_t k = 0; k < count; ++k) means[k] = detail::side_mean(in + 2 * k * rows * cols, rows, cols);
}

void linearised_log(const Complex* t, const detail::SideReference* references, std::size_t count, std::size_t frame,
                    float* phase, float* attenuation) {
  const float* in = reinterpret_cast<const float*>(t);
  const std::size_t n = count * frame;
#pragma omp parallel for if(worth_parallel(n)) schedule(static)
  for (Index i = 0; i < Index(n); ++i)
    detail::linearised_log_of(in[2 * i], in[2 * i + 1], references[std::size_t(i) / frame], phase[i], attenuation[i]);
}

}  // namespace xrecon::joint::kernels::cpu
