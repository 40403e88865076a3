#include "truth_score.hpp"

#include <algorithm>

#include <xrecon/metrics/image_quality.hpp>

namespace xrecon::stream {

TruthScore::TruthScore(std::shared_ptr<const Volume> truth) : truth_(std::move(truth)) {
  const auto values = truth_->data.host_span();
  if (values.empty()) throw InputError("the truth volume is empty");
  const auto [low, high] = std::minmax_element(values.begin(), values.end());
  // A constant truth has no span; 1 keeps SSIM defined (and is the span of a [0, 1] phantom).
  if (*high > *low) data_range_ = double(*high) - double(*low);
}

void TruthScore::check_shape(const Shape& reconstruction) const {
  if (!(truth_->data.shape() == reconstruction))
    throw InputError("the truth volume has shape " + truth_->data.shape().to_string() +
                     " but the reconstruction is " + reconstruction.to_string() +
                     " (slices = detector rows, size x size)");
}

Score TruthScore::score(const ArrayF& reconstruction) const {
  return {.rmse = metrics::rmse(reconstruction, truth_->data),
          .ssim = metrics::ssim(reconstruction, truth_->data, data_range_)};
}

}  // namespace xrecon::stream
