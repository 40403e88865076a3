// Dispatch of the array operations by memory space: one check of sizes and spaces, then the
// backend kernel (array_ops_cpu.cpp or array_ops_cuda.cu).
#include "xrecon/linalg/array_ops.hpp"

#include <initializer_list>

#include "array_ops_kernels.hpp"

namespace xrecon::linalg {

namespace {

// Every operand must match the first in size and memory space; returns that space.
MemorySpace common_space(const char* op, std::initializer_list<const ArrayF*> arrays) {
  const ArrayF& first = **arrays.begin();
  for (const ArrayF* a : arrays) {
    XRECON_CHECK(a->size() == first.size(), std::string(op) + ": arrays of " + std::to_string(first.size()) + " and " +
                                                std::to_string(a->size()) + " elements");
    XRECON_CHECK(a->space() == first.space(), std::string(op) + ": arrays in " + first.space().to_string() + " and " +
                                                  a->space().to_string());
  }
  return first.space();
}

}  // namespace

double dot(const ArrayF& a, const ArrayF& b) {
  const MemorySpace s = common_space("dot", {&a, &b});
  return s.is_host() ? kernels::cpu::dot(a.data(), b.data(), a.size())
                     : kernels::cuda::dot(s.device, a.data(), b.data(), a.size());
}

double squared_norm(const ArrayF& a) { return dot(a, a); }

void fill(ArrayF& y, float value) {
  const MemorySpace s = y.space();
  if (s.is_host()) kernels::cpu::fill(y.data(), value, y.size());
  else kernels::cuda::fill(s.device, y.data(), value, y.size());
}

void copy(const ArrayF& x, ArrayF& y) {
  common_space("copy", {&x, &y});
  copy_bytes(y.data(), y.space(), x.data(), x.space(), x.size() * sizeof(float));
}

void axpy(float alpha, const ArrayF& x, ArrayF& y) {
  const MemorySpace s = common_space("axpy", {&x, &y});
  if (s.is_host()) kernels::cpu::axpy(alpha, x.data(), y.data(), y.size());
  else kernels::cuda::axpy(s.device, alpha, x.data(), y.data(), y.size());
}

void xpay(const ArrayF& x, float beta, ArrayF& y) {
  const MemorySpace s = common_space("xpay", {&x, &y});
  if (s.is_host()) kernels::cpu::xpay(x.data(), beta, y.data(), y.size());
  else kernels::cuda::xpay(s.device, x.data(), beta, y.data(), y.size());
}

void multiply(const ArrayF& w, ArrayF& y) {
  const MemorySpace s = common_space("multiply", {&w, &y});
  if (s.is_host()) kernels::cpu::multiply(w.data(), y.data(), y.size());
  else kernels::cuda::multiply(s.device, w.data(), y.data(), y.size());
}

void weighted_axpy(const ArrayF& w, const ArrayF& x, ArrayF& y) {
  const MemorySpace s = common_space("weighted_axpy", {&w, &x, &y});
  if (s.is_host()) kernels::cpu::weighted_axpy(w.data(), x.data(), y.data(), y.size());
  else kernels::cuda::weighted_axpy(s.device, w.data(), x.data(), y.data(), y.size());
}

void clamp(ArrayF& y, float lo, float hi) {
  XRECON_CHECK(!(lo > hi), "clamp: lower bound " + std::to_string(lo) + " above upper bound " + std::to_string(hi));
  const MemorySpace s = y.space();
  if (s.is_host()) kernels::cpu::clamp(y.data(), lo, hi, y.size());
  else kernels::cuda::clamp(s.device, y.data(), lo, hi, y.size());
}

void invert_above(ArrayF& y, float threshold, float numerator) {
  const MemorySpace s = y.space();
  if (s.is_host()) kernels::cpu::invert_above(y.data(), threshold, numerator, y.size());
  else kernels::cuda::invert_above(s.device, y.data(), threshold, numerator, y.size());
}

}  // namespace xrecon::linalg
