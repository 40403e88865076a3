#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include "cudnn_kernels.hpp"
#include "prior_math.hpp"
#include "xrecon/cuda_check.hpp"

namespace xrecon::prior::detail {
namespace {

template <typename T> __device__ inline float load(const T& v) { return float(v); }
template <> __device__ inline float load(const __half& v) { return __half2float(v); }
template <> __device__ inline float load(const __nv_bfloat16& v) { return __bfloat162float(v); }
template <typename T> __device__ inline T store(float v) { return T(v); }
template <> __device__ inline __half store(float v) { return __float2half(v); }
template <> __device__ inline __nv_bfloat16 store(float v) { return __float2bfloat16(v); }

constexpr int kThreads = 256;
inline unsigned blocks(long long n) { return unsigned((n + kThreads - 1) / kThreads); }

#define XRECON_GRID_LOOP(i, n) \
  for (long long i = blockIdx.x * 1LL * blockDim.x + threadIdx.x; i < (n); i += 1LL * blockDim.x * gridDim.x)

template <typename T> __global__ void k_to_nhwc(const float* in, T* out, Extent e) {
  XRECON_GRID_LOOP(i, e.size()) {
    const int c = int(i % e.c);
    const long long p = i / e.c;
    out[i] = store<T>(in[c * e.pixels() + p]);
  }
}
template <typename T> __global__ void k_to_nchw(const T* in, float* out, Extent e) {
  XRECON_GRID_LOOP(i, e.size()) {
    const long long p = i % e.pixels();
    const int c = int(i / e.pixels());
    out[i] = load(in[p * e.c + c]);
  }
}
template <typename T> __global__ void k_bias_act(T* y, const float* bias, Extent e, int act, float slope) {
  XRECON_GRID_LOOP(i, e.size()) y[i] = store<T>(activate<float>(load(y[i]) + bias[i % e.c], act, slope));
}
template <typename T>
__global__ void k_max_pool(const T* x, T* y, Extent in, Extent out, int kh, int kw, int sh, int sw, int ph, int pw) {
  XRECON_GRID_LOOP(i, out.size()) {
    const int c = int(i % out.c);
    const long long p = i / out.c;
    const int oy = int(p / out.w), ox = int(p % out.w);
    float m = -INFINITY;
    for (int ky = 0; ky < kh; ++ky)
      for (int kx = 0; kx < kw; ++kx) {
        const int iy = oy * sh - ph + ky, ix = ox * sw - pw + kx;
        if (iy >= 0 && iy < in.h && ix >= 0 && ix < in.w) m = fmaxf(m, load(x[(1LL * iy * in.w + ix) * in.c + c]));
      }
    y[i] = store<T>(m);
  }
}
template <typename T>
__global__ void k_upsample(const T* x, T* y, Extent in, Extent out, int mode, bool align, int sh, int sw) {
  XRECON_GRID_LOOP(i, out.size()) {
    const int c = int(i % out.c);
    const long long p = i / out.c;
    const int oy = int(p / out.w), ox = int(p % out.w);
    auto at = [&](int yy, int xx) { return load(x[(1LL * yy * in.w + xx) * in.c + c]); };
    float v;
    if (mode == 0) {
      v = at(nearest_source(oy, in.h, sh), nearest_source(ox, in.w, sw));
    } else {
      const LinearSource ys = linear_source(oy, in.h, out.h, sh, align);
      const LinearSource xs = linear_source(ox, in.w, out.w, sw, align);
      const float top = (1 - xs.t) * at(ys.i0, xs.i0) + xs.t * at(ys.i0, xs.i1);
      const float bottom = (1 - xs.t) * at(ys.i1, xs.i0) + xs.t * at(ys.i1, xs.i1);
      v = (1 - ys.t) * top + ys.t * bottom;
    }
    y[i] = store<T>(v);
  }
}
template <typename T> __global__ void k_copy_channels(const T* x, T* y, Extent in, int total, int offset) {
  XRECON_GRID_LOOP(i, in.size()) y[(i / in.c) * total + offset + i % in.c] = x[i];
}
template <typename T> __global__ void k_add(const T* a, const T* b, T* y, long long n, float sign) {
  XRECON_GRID_LOOP(i, n) y[i] = store<T>(load(a[i]) + sign * load(b[i]));
}
template <typename T> __global__ void k_affine(const T* x, T* y, const float* scale, const float* shift, Extent e) {
  XRECON_GRID_LOOP(i, e.size()) y[i] = store<T>(load(x[i]) * scale[i % e.c] + shift[i % e.c]);
}
template <typename T> __global__ void k_activation(const T* x, T* y, long long n, int act, float slope) {
  XRECON_GRID_LOOP(i, n) y[i] = store<T>(activate<float>(load(x[i]), act, slope));
}
template <typename T> __global__ void k_convert(const float* x, T* y, long long n) {
  XRECON_GRID_LOOP(i, n) y[i] = store<T>(x[i]);
}

}  // namespace

template <typename T> void nchw_float_to_nhwc(const float* in, T* out, Extent e, cudaStream_t s) {
  k_to_nhwc<<<blocks(e.size()), kThreads, 0, s>>>(in, out, e);
  XRECON_CUDA_CHECK_LAUNCH();
}
template <typename T> void nhwc_to_nchw_float(const T* in, float* out, Extent e, cudaStream_t s) {
  k_to_nchw<<<blocks(e.size()), kThreads, 0, s>>>(in, out, e);
  XRECON_CUDA_CHECK_LAUNCH();
}
template <typename T> void bias_activation(T* y, const float* bias, Extent e, int act, float slope, cudaStream_t s) {
  k_bias_act<<<blocks(e.size()), kThreads, 0, s>>>(y, bias, e, act, slope);
  XRECON_CUDA_CHECK_LAUNCH();
}
template <typename T>
void max_pool(const T* x, T* y, Extent in, Extent out, int kh, int kw, int sh, int sw, int ph, int pw, cudaStream_t s) {
  k_max_pool<<<blocks(out.size()), kThreads, 0, s>>>(x, y, in, out, kh, kw, sh, sw, ph, pw);
  XRECON_CUDA_CHECK_LAUNCH();
}
template <typename T>
void upsample(const T* x, T* y, Extent in, Extent out, int mode, bool align, int sh, int sw, cudaStream_t s) {
  k_upsample<<<blocks(out.size()), kThreads, 0, s>>>(x, y, in, out, mode, align, sh, sw);
  XRECON_CUDA_CHECK_LAUNCH();
}
template <typename T> void copy_channels(const T* x, T* y, Extent in, int total, int offset, cudaStream_t s) {
  k_copy_channels<<<blocks(in.size()), kThreads, 0, s>>>(x, y, in, total, offset);
  XRECON_CUDA_CHECK_LAUNCH();
}
template <typename T> void add(const T* a, const T* b, T* y, long long n, float sign, cudaStream_t s) {
  k_add<<<blocks(n), kThreads, 0, s>>>(a, b, y, n, sign);
  XRECON_CUDA_CHECK_LAUNCH();
}
template <typename T>
void affine(const T* x, T* y, const float* scale, const float* shift, Extent e, cudaStream_t s) {
  k_affine<<<blocks(e.size()), kThreads, 0, s>>>(x, y, scale, shift, e);
  XRECON_CUDA_CHECK_LAUNCH();
}
template <typename T> void activation(const T* x, T* y, long long n, int act, float slope, cudaStream_t s) {
  k_activation<<<blocks(n), kThreads, 0, s>>>(x, y, n, act, slope);
  XRECON_CUDA_CHECK_LAUNCH();
}
template <typename T> void convert(const float* x, T* y, long long n, cudaStream_t s) {
  k_convert<<<blocks(n), kThreads, 0, s>>>(x, y, n);
  XRECON_CUDA_CHECK_LAUNCH();
}

#define XRECON_PRIOR_INSTANTIATE(T)                                                                          \
  template void nchw_float_to_nhwc<T>(const float*, T*, Extent, cudaStream_t);                              \
  template void nhwc_to_nchw_float<T>(const T*, float*, Extent, cudaStream_t);                              \
  template void bias_activation<T>(T*, const float*, Extent, int, float, cudaStream_t);                     \
  template void max_pool<T>(const T*, T*, Extent, Extent, int, int, int, int, int, int, cudaStream_t);       \
  template void upsample<T>(const T*, T*, Extent, Extent, int, bool, int, int, cudaStream_t);                \
  template void copy_channels<T>(const T*, T*, Extent, int, int, cudaStream_t);                             \
  template void add<T>(const T*, const T*, T*, long long, float, cudaStream_t);                             \
  template void affine<T>(const T*, T*, const float*, const float*, Extent, cudaStream_t);                  \
  template void activation<T>(const T*, T*, long long, int, float, cudaStream_t);                           \
  template void convert<T>(const float*, T*, long long, cudaStream_t);

XRECON_PRIOR_INSTANTIATE(float)
XRECON_PRIOR_INSTANTIATE(__half)
XRECON_PRIOR_INSTANTIATE(__nv_bfloat16)

}  // namespace xrecon::prior::detail
