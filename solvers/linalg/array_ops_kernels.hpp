#pragma once
// The backends of array_ops.hpp, declared once: array_ops_cpu.cpp (OpenMP) and
// array_ops_cuda.cu (CUDA; array_ops_nocuda.cpp throws NotCompiled when CUDA is not built).
// Pointers are to `n` contiguous floats in the backend's memory; `device` selects the GPU.
#include <cstddef>

namespace xrecon::linalg::kernels {

namespace cpu {
double dot(const float* a, const float* b, std::size_t n);
void fill(float* y, float value, std::size_t n);
void axpy(float alpha, const float* x, float* y, std::size_t n);
void xpay(const float* x, float beta, float* y, std::size_t n);
void multiply(const float* w, float* y, std::size_t n);
void weighted_axpy(const float* w, const float* x, float* y, std::size_t n);
void clamp(float* y, float lo, float hi, std::size_t n);
void invert_above(float* y, float threshold, float numerator, std::size_t n);
}  // namespace cpu

namespace cuda {
double dot(int device, const float* a, const float* b, std::size_t n);
void fill(int device, float* y, float value, std::size_t n);
void axpy(int device, float alpha, const float* x, float* y, std::size_t n);
void xpay(int device, const float* x, float beta, float* y, std::size_t n);
void multiply(int device, const float* w, float* y, std::size_t n);
void weighted_axpy(int device, const float* w, const float* x, float* y, std::size_t n);
void clamp(int device, float* y, float lo, float hi, std::size_t n);
void invert_above(int device, float* y, float threshold, float numerator, std::size_t n);
}  // namespace cuda

}  // namespace xrecon::linalg::kernels
