#include "normalization.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace xrecon::prior::detail {
namespace {

double percentile(std::vector<float>& v, double percent) {
  const double position = percent / 100.0 * double(v.size() - 1);
  const std::size_t below = std::size_t(std::floor(position));
  std::nth_element(v.begin(), v.begin() + below, v.end());
  const double a = v[below];
  if (below + 1 >= v.size()) return a;
  const double b = *std::min_element(v.begin() + below + 1, v.end());
  return a + (position - double(below)) * (b - a);
}

}  // namespace

AffineMap fit_normalization(const Normalization& n, std::span<const float> pixels) {
  AffineMap map{n.lo, n.hi, n.scale, n.offset};
  if (n.mode == Normalization::Mode::percentile && !pixels.empty()) {
    std::vector<float> copy(pixels.begin(), pixels.end());
    map.lo = percentile(copy, n.low_percentile);
    map.hi = percentile(copy, n.high_percentile);
  }
  if (!(map.hi > map.lo)) map.hi = map.lo + 1;
  return map;
}

}  // namespace xrecon::prior::detail
