// OpenMP loops of the array operations. Static schedules keep reductions deterministic for a
// given thread count; dot accumulates in double.
#include <algorithm>

#include "array_ops_kernels.hpp"

namespace xrecon::linalg::kernels::cpu {

namespace {
using Index = std::ptrdiff_t;  // OpenMP wants a signed loop variable
}

double dot(const float* a, const float* b, std::size_t n) {
  double sum = 0.0;
#pragma omp parallel for reduction(+ : sum) schedule(static)
  for (Index i = 0; i < Index(n); ++i) sum += double(a[i]) * double(b[i]);
  return sum;
}

void fill(float* y, float value, std::size_t n) {
#pragma omp parallel for schedule(static)
  for (Index i = 0; i < Index(n); ++i) y[i] = value;
}

void axpy(float alpha, const float* x, float* y, std::size_t n) {
#pragma omp parallel for schedule(static)
  for (Index i = 0; i < Index(n); ++i) y[i] += alpha * x[i];
}

void xpay(const float* x, float beta, float* y, std::size_t n) {
#pragma omp parallel for schedule(static)
  for (Index i = 0; i < Index(n); ++i) y[i] = x[i] + beta * y[i];
}

void multiply(const float* w, float* y, std::size_t n) {
#pragma omp parallel for schedule(static)
  for (Index i = 0; i < Index(n); ++i) y[i] *= w[i];
}

void weighted_axpy(const float* w, const float* x, float* y, std::size_t n) {
#pragma omp parallel for schedule(static)
  for (Index i = 0; i < Index(n); ++i) y[i] += w[i] * x[i];
}

void clamp(float* y, float lo, float hi, std::size_t n) {
#pragma omp parallel for schedule(static)
  for (Index i = 0; i < Index(n); ++i) y[i] = std::clamp(y[i], lo, hi);
}

void invert_above(float* y, float threshold, float numerator, std::size_t n) {
#pragma omp parallel for schedule(static)
  for (Index i = 0; i < Index(n); ++i) y[i] = y[i] > threshold ? numerator / y[i] : 0.0f;
}

}  // namespace xrecon::linalg::kernels::cpu
