#pragma once
// How close a reconstruction is to a known truth: root-mean-square error and the structural
// similarity index (SSIM) of Wang, Bovik, Sheikh and Simoncelli, IEEE TIP 13(4), 2004.
#include "xrecon/array.hpp"

namespace xrecon::metrics {

// sqrt(mean((a - b)^2)) over all elements, accumulated in double. a and b have the same shape.
double rmse(const ArrayF& a, const ArrayF& b);

// The paper's constants: an 11 x 11 Gaussian window of standard deviation 1.5 (normalised to
// sum 1), C1 = (0.01 L)^2, C2 = (0.03 L)^2 with L the data range.
inline constexpr int kSsimWindow = 11;
inline constexpr double kSsimSigma = 1.5;
inline constexpr double kSsimK1 = 0.01;
inline constexpr double kSsimK2 = 0.03;

// Mean SSIM of a and b, images (y, x) or stacks of slices (z, y, x) compared slice by slice.
// The local statistics are taken only where the window lies wholly inside a slice (the paper's
// own implementation, filter2 'valid'), and the mean is over those positions of every slice, so
// slices must be at least 11 x 11. data_range is L: the span of values the images can take
// (max - min of the truth, or 1 for images in [0, 1]).
double ssim(const ArrayF& a, const ArrayF& b, double data_range);

}  // namespace xrecon::metrics
