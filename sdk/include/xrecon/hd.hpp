#pragma once
// Per-element math is written once and compiled for both the OpenMP loop and the
// CUDA kernel (docs/architecture.md section 7), so CPU tests exercise what the GPU runs.
#if defined(__CUDACC__)
#define XRECON_HD __host__ __device__ inline
#else
#define XRECON_HD inline
#endif
