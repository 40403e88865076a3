// CUDA implementation of the array operations. They are bound by memory bandwidth: every kernel is
// a grid-stride loop that moves 16 bytes per access when the arrays allow it, and launches no more
// blocks than keep the GPU full. Work goes to the legacy default stream, ordered with the SDK's
// copies; only dot() waits for its result.
#include <algorithm>
#include <cstdint>

#include "array_ops_kernels.hpp"
#include "xrecon/cuda_check.hpp"
#include "xrecon/cuda_sum.cuh"
#include "xrecon/cuda_scratch.hpp"

namespace xrecon::linalg::kernels::cuda {
namespace {

constexpr int kThreads = 256;
// An H100 holds 8 blocks of 256 threads on each of its 132 multiprocessors, 1056 in all: two
// waves of them keep it busy, and the grid-stride loop does the rest without more blocks.
constexpr std::size_t kMaxBlocks = 2048;

unsigned blocks_for(std::size_t work_items) {
  return static_cast<unsigned>(std::clamp<std::size_t>((work_items + kThreads - 1) / kThreads, 1, kMaxBlocks));
}

bool aligned_16(const void* p) { return reinterpret_cast<std::uintptr_t>(p) % 16 == 0; }

// The element-wise operations: y[i] = op(y[i], a[i], b[i]); `inputs` says how many of a and b
// the operation reads.
struct Fill {
  static constexpr int inputs = 0;
  float value;
  __device__ float operator()(float, float, float) const { return value; }
};
struct Axpy {
  static constexpr int inputs = 1;
  float alpha;
  __device__ float operator()(float y, float x, float) const { return y + alpha * x; }
};
struct Xpay {
  static constexpr int inputs = 1;
  float beta;
  __device__ float operator()(float y, float x, float) const { return x + beta * y; }
};
struct Multiply {
  static constexpr int inputs = 1;
  __device__ float operator()(float y, float w, float) const { return y * w; }
};
struct WeightedAxpy {
  static constexpr int inputs = 2;
  __device__ float operator()(float y, float w, float x) const { return y + w * x; }
};
struct Clamp {
  static constexpr int inputs = 0;
  float lo, hi;
  // std::clamp's comparisons, so NaN stays NaN as on the CPU (fminf/fmaxf would drop it).
  __device__ float operator()(float y, float, float) const { return y < lo ? lo : (hi < y ? hi : y); }
};
struct InvertAbove {
  static constexpr int inputs = 0;
  float threshold, numerator;
  __device__ float operator()(float y, float, float) const { return y > threshold ? numerator / y : 0.0f; }
};

template <typename Op>
__device__ float4 apply(const Op& op, float4 y, float4 a, float4 b) {
  return {op(y.x, a.x, b.x), op(y.y, a.y, b.y), op(y.z, a.z, b.z), op(y.w, a.w, b.w)};
}

// The first `quads` groups of four go through float4 accesses, the rest one float at a time.
template <typename Op>
__global__ void elementwise_kernel(Op op, float* __restrict__ y, const float* __restrict__ a,
                                   const float* __restrict__ b, std::size_t n, std::size_t quads) {
  const std::size_t stride = std::size_t(gridDim.x) * blockDim.x;
  const std::size_t first = std::size_t(blockIdx.x) * blockDim.x + threadIdx.x;
  auto* y4 = reinterpret_cast<float4*>(y);
  const auto* a4 = reinterpret_cast<const float4*>(a);
  const auto* b4 = reinterpret_cast<const float4*>(b);
  for (std::size_t q = first; q < quads; q += stride) {
    const float4 va = Op::inputs > 0 ? a4[q] : float4{};
    const float4 vb = Op::inputs > 1 ? b4[q] : float4{};
    y4[q] = apply(op, y4[q], va, vb);
  }
  for (std::size_t i = 4 * quads + first; i < n; i += stride)
    y[i] = op(y[i], Op::inputs > 0 ? a[i] : 0.0f, Op::inputs > 1 ? b[i] : 0.0f);
}

template <typename Op>
void launch(int device, Op op, float* y, const float* a, const float* b, std::size_t n) {
  if (n == 0) return;
  XRECON_CUDA_CHECK(cudaSetDevice(device));
  const bool vectorised = aligned_16(y) && (Op::inputs < 1 || aligned_16(a)) && (Op::inputs < 2 || aligned_16(b));
  const std::size_t quads = vectorised ? n / 4 : 0;
  elementwise_kernel<<<blocks_for(quads > 0 ? quads : n), kThreads>>>(op, y, a, b, n, quads);
  XRECON_CUDA_CHECK_LAUNCH();
}

// One product per element; the products of two floats are exact in double.
struct ProductTerm {
  const float* __restrict__ a;
  const float* __restrict__ b;
  __device__ double operator()(std::size_t i) const { return double(a[i]) * double(b[i]); }
};

}  // namespace

double dot(int device, const float* a, const float* b, std::size_t n) {
  return ::xrecon::detail::cuda_sum::sum(device, n, ProductTerm{a, b});
}

void fill(int device, float* y, float value, std::size_t n) { launch(device, Fill{value}, y, nullptr, nullptr, n); }

void axpy(int device, float alpha, const float* x, float* y, std::size_t n) {
  launch(device, Axpy{alpha}, y, x, nullptr, n);
}

void xpay(int device, const float* x, float beta, float* y, std::size_t n) {
  launch(device, Xpay{beta}, y, x, nullptr, n);
}

void multiply(int device, const float* w, float* y, std::size_t n) { launch(device, Multiply{}, y, w, nullptr, n); }

void weighted_axpy(int device, const float* w, const float* x, float* y, std::size_t n) {
  launch(device, WeightedAxpy{}, y, w, x, n);
}

void clamp(int device, float* y, float lo, float hi, std::size_t n) {
  launch(device, Clamp{lo, hi}, y, nullptr, nullptr, n);
}

void invert_above(int device, float* y, float threshold, float numerator, std::size_t n) {
  launch(device, InvertAbove{threshold, numerator}, y, nullptr, nullptr, n);
}

}  // namespace xrecon::linalg::kernels::cuda
