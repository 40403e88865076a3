#pragma once
// Per-element math of the Joseph projector, its exact adjoint and the pixel-driven
// backprojector, shared by the OpenMP loops and the CUDA kernels (joseph_cuda.cu).
//
// Positions are computed in double: a float position near pixel 500 is only resolved to 3e-5
// pixel, an interpolation-weight error as large as the 1e-5 adjoint tolerance, and the forward and
// backward compute their positions along different paths. In double the two agree to ~1e-8
// relative. The interpolated values and all accumulations stay in float.
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "xrecon/hd.hpp"

namespace xrecon::tomo {

// Zero pixels added on each side of every interpolated line, so the inner loops need no bounds
// checks: a sample at position u in (-1, len) reads indices floor(u) and floor(u) + 1, and the
// second pixel of margin absorbs positions that rounding pushes just past the ends.
inline constexpr std::size_t kPad = 2;

// What every operator needs to know about one projection angle. The ray for detector column j is
// x cos + y sin = j - center with x = ix - g, y = g - iy (projector.hpp): in pixel indices,
// ix * ix_coef + iy * iy_coef = j - center + g * (ix_coef + iy_coef).
struct AngleTerms {
  double ix_coef = 1;  // cos(theta): detector columns per pixel step in ix
  double iy_coef = 0;  // -sin(theta): per pixel step in iy (rows grow downwards, y upwards)
  // The ray is marched one row at a time when it is closer to the y axis than to the x axis.
  bool rows_dominant = true;
  // 1 / max(|cos|, |sin|): the ray length per marching step, and the inverse hat width of the
  // adjoint's weights.
  double inv_width = 1;
};

XRECON_HD AngleTerms angle_terms(double theta) {
  AngleTerms t;
  t.ix_coef = std::cos(theta);
  t.iy_coef = -std::sin(theta);
  const double ac = std::fabs(t.ix_coef), as = std::fabs(t.iy_coef);
  t.rows_dominant = ac >= as;
  t.inv_width = 1.0 / (t.rows_dominant ? ac : as);
  return t;
}

// Forward projection marches line l (a row for rows-dominant angles, a column otherwise) and
// samples it at u(j) = j * step + origin + l * line_step (pixel index along the line) for
// detector column j: the solution of the ray's equation on that line. `axis` is the pixel
// coordinate g of the rotation axis (axis_pixel in payload.hpp).
struct MarchTerms {
  double step = 1;
  double origin = 0;
  double line_step = 0;
};

XRECON_HD MarchTerms march_terms(const AngleTerms& a, double axis, double center) {
  const double along = a.rows_dominant ? a.ix_coef : a.iy_coef;   // coefficient of the sampled axis
  const double across = a.rows_dominant ? a.iy_coef : a.ix_coef;  // coefficient of the marched axis
  MarchTerms m;
  m.step = 1.0 / along;
  m.origin = (axis * across - center) / along + axis;
  m.line_step = -across / along;
  return m;
}

// Backprojection visits pixel row iy and finds, for pixel ix, the detector position its centre
// projects to: j_c = ix * ix_coef + detector_row_offset(iy).
XRECON_HD double detector_row_offset(const AngleTerms& a, double axis, double center, std::size_t iy) {
  return (double(iy) - axis) * a.iy_coef + center - axis * a.ix_coef;
}

// A position on a zero-padded line (the kPad offset already added, so u >= 0) split into the
// index of the sample at or below it and the fraction of the way to the next one.
struct LinePosition {
  std::int32_t index;
  float frac;
};

XRECON_HD LinePosition split_position(double u) {
  const auto i = static_cast<std::int32_t>(u);
  return {i, static_cast<float>(u - i)};
}

// Linear interpolation of a zero-padded line.
XRECON_HD float interpolate(const float* line, std::int32_t index, float frac) {
  return line[index] + frac * (line[index + 1] - line[index]);
}

// Weights of detector samples floor(u) and floor(u) + 1 for a pixel projecting to u, under a
// triangular hat of half-width 1 / inv_width. inv_width = 1 is plain linear interpolation (the
// pixel-driven backprojector); inv_width = 1 / max(|cos|, |sin|) gives exactly the weights with
// which the Joseph forward projection spreads that pixel over the detector (its adjoint).
struct HatWeights {
  float w0, w1;
};

XRECON_HD HatWeights hat_weights(float frac, float inv_width) {
  const float w0 = 1.0f - frac * inv_width;
  const float w1 = 1.0f - (1.0f - frac) * inv_width;
  return {w0 > 0.0f ? w0 : 0.0f, w1 > 0.0f ? w1 : 0.0f};
}

// Integers t in [0, count) with lo < t * step + offset < hi: the detector columns whose sample
// falls on a line, or the pixels of a row that project onto the detector.
struct IndexRange {
  std::size_t begin = 0, end = 0;
};

XRECON_HD IndexRange open_interval_range(double step, double offset, double lo, double hi, std::size_t count) {
  IndexRange r;
  double t_lo, t_hi;
  if (step > 0) {
    t_lo = (lo - offset) / step;
    t_hi = (hi - offset) / step;
  } else if (step < 0) {
    t_lo = (hi - offset) / step;
    t_hi = (lo - offset) / step;
  } else {
    if (lo < offset && offset < hi) r.end = count;
    return r;
  }
  const double first = std::floor(t_lo) + 1.0;
  const double last = std::ceil(t_hi) - 1.0;
  if (last < 0.0 || first > double(count) - 1.0 || first > last) return r;
  r.begin = first < 0.0 ? 0 : static_cast<std::size_t>(first);
  r.end = last > double(count) - 1.0 ? count : static_cast<std::size_t>(last) + 1;
  return r;
}

}  // namespace xrecon::tomo
