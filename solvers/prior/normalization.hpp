#pragma once
// The model's input normalisation as an affine map fitted to one image.
#include <span>

#include "xrecon/prior/model.hpp"

namespace xrecon::prior::detail {

struct AffineMap {
  double lo = 0, hi = 1, scale = 1, offset = 0;
  float forward(float x) const {
    const double c = x < lo ? lo : x > hi ? hi : double(x);
    return float((c - lo) / (hi - lo) * scale + offset);
  }
  float inverse(float y) const { return float((double(y) - offset) / scale * (hi - lo) + lo); }
};

// `fixed`: the model's lo/hi; `percentile`: numpy's (linear) percentiles of all of `pixels`.
// A constant image (hi == lo) gets hi = lo + 1 so the map stays invertible.
AffineMap fit_normalization(const Normalization& n, std::span<const float> pixels);

}  // namespace xrecon::prior::detail
