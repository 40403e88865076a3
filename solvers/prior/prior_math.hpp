#pragma once
// Per-pixel math shared by the reference loops, the oneDNN backend's own kernels and the CUDA
// kernels, so each backend resamples and activates exactly as PyTorch does.
#include <cmath>

#include "xrecon/hd.hpp"

namespace xrecon::prior::detail {

// Activation codes: Activation's values (none, relu, leaky_relu, sigmoid, tanh).
template <typename T>
XRECON_HD T activate(T x, int activation, T slope) {
  switch (activation) {
    case 1: return x > T(0) ? x : T(0);
    case 2: return x > T(0) ? x : x * slope;
    case 3: return T(1) / (T(1) + exp(-x));
    case 4: return tanh(x);
    default: return x;
  }
}

// PyTorch's upsample_nearest2d with an integer scale factor.
XRECON_HD int nearest_source(int dst, int in, int scale) {
  const int s = dst / scale;
  return s < in - 1 ? s : in - 1;
}

// PyTorch's upsample_bilinear2d for an integer scale factor: the two source pixels and the
// weight of the second. align_corners: corners map to corners; else half-pixel centres, with
// positions left of the first centre clamped to it.
struct LinearSource {
  int i0, i1;
  float t;
};
XRECON_HD LinearSource linear_source(int dst, int in, int out, int scale, bool align_corners) {
  float src;
  if (align_corners) {
    src = out > 1 ? float(dst) * float(in - 1) / float(out - 1) : 0.0f;
  } else {
    src = (float(dst) + 0.5f) / float(scale) - 0.5f;
    if (src < 0) src = 0;
  }
  int i0 = int(src);
  if (i0 > in - 1) i0 = in - 1;
  const int i1 = i0 < in - 1 ? i0 + 1 : i0;
  return {i0, i1, src - float(i0)};
}

}  // namespace xrecon::prior::detail
