#pragma once
// The backends of tv::prox, declared once: tv_cpu.cpp (OpenMP) and tv_cuda.cu (CUDA;
// tv_nocuda.cpp throws NotCompiled when CUDA is not built). Pointers are to grid.size() floats in
// the backend's memory. `p` is the dual field, grid.axes() * grid.size() floats (px, py[, pz]), and `u` a
// scratch array of grid.size(); z may equal v.
#include <cstddef>

#include "tv_math.hpp"

namespace xrecon::tv::kernels {

namespace cpu {
void chambolle(const float* v, float* z, float* p, float* u, const detail::Grid& grid, float lambda,
               std::size_t iterations);
}  // namespace cpu

namespace cuda {
void chambolle(int device, const float* v, float* z, float* p, float* u, const detail::Grid& grid, float lambda,
               std::size_t iterations);
}  // namespace cuda

}  // namespace xrecon::tv::kernels
