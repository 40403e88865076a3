#pragma once
// The small CUDA kernels around cuDNN's convolutions: layout conversion, bias + activation,
// pooling, upsampling, concatenation, add/sub, per-channel affine. Activations are NHWC in T
// (float, __half or __nv_bfloat16); arithmetic is in float. Include only from .cu files.
#include <cuda_runtime_api.h>

#include "xrecon/hd.hpp"

namespace xrecon::prior::detail {

struct Extent {
  int c, h, w;
  XRECON_HD long long pixels() const { return 1LL * h * w; }
  XRECON_HD long long size() const { return pixels() * c; }
};

template <typename T> void nchw_float_to_nhwc(const float* in, T* out, Extent e, cudaStream_t s);
template <typename T> void nhwc_to_nchw_float(const T* in, float* out, Extent e, cudaStream_t s);
// y = act(y + bias[channel]) in place.
template <typename T> void bias_activation(T* y, const float* bias, Extent e, int activation, float slope, cudaStream_t s);
template <typename T>
void max_pool(const T* x, T* y, Extent in, Extent out, int kh, int kw, int sh, int sw, int ph, int pw, cudaStream_t s);
// mode 0 nearest, 1 bilinear.
template <typename T>
void upsample(const T* x, T* y, Extent in, Extent out, int mode, bool align_corners, int sh, int sw, cudaStream_t s);
// Channels [offset, offset + in.c) of y (which has `total` channels) = x.
template <typename T> void copy_channels(const T* x, T* y, Extent in, int total, int offset, cudaStream_t s);
// y = a + sign * b.
template <typename T> void add(const T* a, const T* b, T* y, long long n, float sign, cudaStream_t s);
// y = x * scale[c] + shift[c].
template <typename T>
void affine(const T* x, T* y, const float* scale, const float* shift, Extent e, cudaStream_t s);
template <typename T> void activation(const T* x, T* y, long long n, int activation, float slope, cudaStream_t s);
// Converts float weights on the device to T.
template <typename T> void convert(const float* x, T* y, long long n, cudaStream_t s);

}  // namespace xrecon::prior::detail
