#include "complex_ops.hpp"

#include <algorithm>
#include <complex>
#include <cstddef>
#include <string>

#include "parallel.hpp"
#include "ptycho_kernels.hpp"

namespace xrecon::ptycho::detail {
namespace {

using Complex = std::complex<float>;

MemorySpace common_space(const char* op, const ArrayCF& a, const ArrayCF& b) {
  XRECON_CHECK(a.size() == b.size(), std::string(op) + ": arrays of " + std::to_string(a.size()) + " and " +
                                         std::to_string(b.size()) + " elements");
  XRECON_CHECK(a.space() == b.space(),
               std::string(op) + ": arrays in " + a.space().to_string() + " and " + b.space().to_string());
  return a.space();
}

}  // namespace

ArrayCF zeros_like(const ArrayCF& like) {
  ArrayCF out(like.shape(), like.space());
  if (like.space().is_host())
    std::fill(out.data(), out.data() + out.size(), Complex{});
  else
    kernels::cuda::zero(like.space().device, out.data(), out.size() * sizeof(Complex));
  return out;
}

double real_dot(const ArrayCF& a, const ArrayCF& b) {
  const MemorySpace space = common_space("real_dot", a, b);
  if (!space.is_host()) return kernels::cuda::real_dot(space.device, a.data(), b.data(), a.size());
  const Complex* x = a.data();
  const Complex* y = b.data();
  const std::size_t size = a.size();
  return ordered_sum(size, [x, y](std::size_t i) {
    return double(x[i].real()) * double(y[i].real()) + double(x[i].imag()) * double(y[i].imag());
  });
}

void axpy(double alpha, const ArrayCF& x, ArrayCF& y) {
  const MemorySpace space = common_space("axpy", x, y);
  const float a = float(alpha);
  if (!space.is_host()) return kernels::cuda::axpy(space.device, a, x.data(), y.data(), x.size());
  const Complex* in = x.data();
  Complex* out = y.data();
  const std::size_t size = x.size();
#pragma omp parallel for if(worth_parallel(size)) schedule(dynamic, chunk_for(1))
  for (std::size_t i = 0; i < size; ++i) out[i] += a * in[i];
}

void descent_update(const ArrayCF& g, double beta, ArrayCF& d) {
  const MemorySpace space = common_space("descent_update", g, d);
  const float b = float(beta);
  if (!space.is_host()) return kernels::cuda::descent_update(space.device, g.data(), b, d.data(), g.size());
  const Complex* in = g.data();
  Complex* out = d.data();
  const std::size_t size = g.size();
#pragma omp parallel for if(worth_parallel(size)) schedule(dynamic, chunk_for(1))
  for (std::size_t i = 0; i < size; ++i) out[i] = b * out[i] - in[i];
}

bool clamp_amplitude(ArrayCF& values, double limit_value) {
  const float limit = float(limit_value);
  if (!values.space().is_host())
    return kernels::cuda::clamp_amplitude(values.space().device, values.data(), values.size(), limit);
  bool changed = false;
  for (auto& v : values.host_span()) {
    const float modulus = std::abs(v);
    if (modulus > limit) {
      v *= limit / modulus;
      changed = true;
    }
  }
  return changed;
}

}  // namespace xrecon::ptycho::detail
