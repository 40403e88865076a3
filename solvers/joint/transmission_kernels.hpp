#pragma once
// The backends of xrecon/joint/transmission.hpp, declared once: transmission_cpu.cpp (OpenMP) and
// transmission_cuda.cu (CUDA; transmission_nocuda.cpp throws NotCompiled when CUDA is not built).
// Arrays are in the backend's memory (device memory of `device` for CUDA); the side means and
// references, one per image, are host arrays on both. Images are `frame` = rows * cols pixels,
// `count` of them one after another.
#include <complex>
#include <cstddef>

#include "transmission_math.hpp"

namespace xrecon::joint::kernels {

using Complex = std::complex<float>;

namespace cpu {
void transmission(const float* phase, const float* attenuation, Complex* h, std::size_t n);
void ray_weights(const float* attenuation, float* weights, std::size_t n);
void side_means(const Complex* t, std::size_t count, std::size_t rows, std::size_t cols, detail::SideMean* means);
void linearised_log(const Complex* t, const detail::SideReference* references, std::size_t count, std::size_t frame,
                    float* phase, float* attenuation);
}  // namespace cpu

namespace cuda {
void transmission(int device, const float* phase, const float* attenuation, Complex* h, std::size_t n);
void ray_weights(int device, const float* attenuation, float* weights, std::size_t n);
void side_means(int device, const Complex* t, std::size_t count, std::size_t rows, std::size_t cols,
                detail::SideMean* means);
void linearised_log(int device, const Complex* t, const detail::SideReference* references, std::size_t count,
                    std::size_t frame, float* phase, float* attenuation);
}  // namespace cuda

}  // namespace xrecon::joint::kernels
