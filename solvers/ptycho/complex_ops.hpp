#pragma once
// The vector algebra of the CG solver on complex host arrays; reductions accumulate in double.
#include <complex>
#include <cstddef>

#include "parallel.hpp"
#include "xrecon/array.hpp"

namespace xrecon::ptycho::detail {

// Re<a, b> = Re sum conj(a) b.
inline double real_dot(const ArrayCF& a, const ArrayCF& b) {
  const std::complex<float>* x = a.data();
  const std::complex<float>* y = b.data();
  const std::size_t size = a.size();
  double sum = 0;
#pragma omp parallel for if(worth_parallel(size)) reduction(+ : sum) schedule(static)
  for (std::size_t i = 0; i < size; ++i)
    sum += double(x[i].real()) * double(y[i].real()) + double(x[i].imag()) * double(y[i].imag());
  return sum;
}

inline double squared_norm(const ArrayCF& a) { return real_dot(a, a); }

// y += alpha * x.
inline void axpy(double alpha, const ArrayCF& x, ArrayCF& y) {
  const std::complex<float>* in = x.data();
  std::complex<float>* out = y.data();
  const float a = float(alpha);
  const std::size_t size = x.size();
#pragma omp parallel for if(worth_parallel(size)) schedule(static)
  for (std::size_t i = 0; i < size; ++i) out[i] += a * in[i];
}

// d = beta * d - g: the conjugate-gradient direction update.
inline void descent_update(const ArrayCF& g, double beta, ArrayCF& d) {
  const std::complex<float>* in = g.data();
  std::complex<float>* out = d.data();
  const float b = float(beta);
  const std::size_t size = g.size();
#pragma omp parallel for if(worth_parallel(size)) schedule(static)
  for (std::size_t i = 0; i < size; ++i) out[i] = b * out[i] - in[i];
}

}  // namespace xrecon::ptycho::detail
