#include <cmath>

#include "xrecon/metrics/image_quality.hpp"

namespace xrecon::metrics {

double rmse(const ArrayF& a, const ArrayF& b) {
  XRECON_CHECK(a.shape() == b.shape(),
               "RMSE of arrays of different shapes " + a.shape().to_string() + " and " + b.shape().to_string());
  XRECON_CHECK(!a.empty(), "RMSE of empty arrays");
  const float* x = a.host_span().data();
  const float* y = b.host_span().data();
  const std::size_t size = a.size();
  double sum = 0.0;
#pragma omp parallel for reduction(+ : sum) schedule(static)
  for (std::size_t i = 0; i < size; ++i) {
    const double d = double(x[i]) - double(y[i]);
    sum += d * d;
  }
  return std::sqrt(sum / double(size));
}

}  // namespace xrecon::metrics
