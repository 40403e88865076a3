#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include "xrecon/tomo/preprocess.hpp"

namespace xrecon::tomo {

namespace {
using Index = std::ptrdiff_t;

void require_frames(const ArrayF& frames, const ArrayF& data, const char* what) {
  XRECON_CHECK(frames.rank() == 3 && frames.extent(0) > 0, std::string(what) + " must be (frames, rows, cols)");
  XRECON_CHECK(frames.extent(1) == data.extent(1) && frames.extent(2) == data.extent(2),
               std::string(what) + " frames are " + std::to_string(frames.extent(1)) + " x " +
                   std::to_string(frames.extent(2)) + ", the projections " + std::to_string(data.extent(1)) + " x " +
                   std::to_string(data.extent(2)));
}
}  // namespace

ArrayF mean_frame(const ArrayF& frames) {
  XRECON_CHECK(frames.rank() == 3 && frames.extent(0) > 0, "frames must be (frames, rows, cols), at least one");
  const std::size_t n = frames.extent(0), pixels = frames.extent(1) * frames.extent(2);
  ArrayF mean({1, frames.extent(1), frames.extent(2)});
#pragma omp parallel for schedule(static)
  for (Index k = 0; k < Index(pixels); ++k) {
    double sum = 0;
    for (std::size_t f = 0; f < n; ++f) sum += frames[f * pixels + std::size_t(k)];
    mean[std::size_t(k)] = float(sum / double(n));
  }
  return mean;
}

void normalize_flat_dark(ArrayF& data, const ArrayF& flats, const ArrayF& darks) {
  XRECON_CHECK(data.rank() == 3, "projections must be (angles, rows, cols)");
  require_frames(flats, data, "the flat fields");
  require_frames(darks, data, "the dark fields");
  const ArrayF white = flats.extent(0) == 1 ? flats : mean_frame(flats);
  const ArrayF dark = darks.extent(0) == 1 ? darks : mean_frame(darks);
  const std::size_t pixels = data.extent(1) * data.extent(2);
  std::vector<double> gain(pixels);
  for (std::size_t k = 0; k < pixels; ++k)
    gain[k] = 1.0 / std::max(double(white[k]) - double(dark[k]), kMinFlatMinusDark);
  float* values = data.data();
#pragma omp parallel for schedule(static)
  for (Index a = 0; a < Index(data.extent(0)); ++a) {
    float* frame = values + std::size_t(a) * pixels;
    for (std::size_t k = 0; k < pixels; ++k) frame[k] = float((double(frame[k]) - dark[k]) * gain[k]);
  }
}

void minus_log(ArrayF& data) {
  float* values = data.data();
#pragma omp parallel for schedule(static)
  for (Index i = 0; i < Index(data.size()); ++i)
    values[i] = float(-std::log(std::max(double(values[i]), kMinTransmission)));
}

TransmissionCheck check_transmission(const ArrayF& data) {
  const float* values = data.data();
  std::size_t above = 0, non_positive = 0;
  float largest = -std::numeric_limits<float>::infinity();
  const auto limit = float(kMaxTransmissionValue);
#pragma omp parallel for schedule(static) reduction(+ : above, non_positive) reduction(max : largest)
  for (Index i = 0; i < Index(data.size()); ++i) {
    above += values[i] > limit;
    non_positive += values[i] <= 0.0f;
    largest = std::max(largest, values[i]);
  }
  TransmissionCheck check;
  const double count = double(std::max<std::size_t>(data.size(), 1));
  check.above_share = double(above) / count;
  check.non_positive_share = double(non_positive) / count;
  check.max_value = data.size() ? double(largest) : 0.0;
  return check;
}

std::string TransmissionCheck::describe() const {
  char text[160];
  std::snprintf(text, sizeof text, "%.1f%% of the values are above %.3g (the largest is %.4g), %.1f%% are zero or negative",
                100 * above_share, kMaxTransmissionValue, max_value, 100 * non_positive_share);
  return text;
}

CenterEstimate find_center_by_correlation(const ArrayF& projections, const std::vector<double>& angles,
                                          std::size_t rows, double max_offset) {
  XRECON_CHECK(projections.rank() == 3, "projections must be (angles, rows, cols)");
  const std::size_t count = projections.extent(0), nrows = projections.extent(1), cols = projections.extent(2);
  XRECON_CHECK(angles.size() == count, "the centre finder got " + std::to_string(angles.size()) + " angles for " +
                                           std::to_string(count) + " projections");
  XRECON_CHECK(count >= 2 && cols >= 4, "the centre finder needs at least 2 projections of 4 columns");

  CenterEstimate estimate;
  estimate.angle_error = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < count; ++i)
    for (std::size_t j = 0; j < count; ++j) {
      // The opposite direction, whatever the number of turns in between.
      const double apart = std::remainder(angles[j] - angles[i] - std::numbers::pi, 2 * std::numbers::pi);
      if (i != j && std::fabs(apart) < estimate.angle_error) {
        estimate.angle_error = std::fabs(apart);
        estimate.first = i;
        estimate.second = j;
      }
    }
  XRECON_CHECK(estimate.angle_error < 5.0 * std::numbers::pi / 180.0,
               "the centre finder needs two projections about 180 degrees apart; the closest pair is " +
                   std::to_string(180.0 - estimate.angle_error * 180.0 / std::numbers::pi) + " degrees apart");

  const double half = (double(cols) - 1.0) / 2.0;
  if (max_offset < 0) max_offset = double(cols) / 4.0;
  const Index max_shift = Index(std::floor(2.0 * std::min(max_offset, half)));
  const std::size_t used_rows = std::max<std::size_t>(1, std::min(rows, nrows));
  const float* a = projections.data() + estimate.first * nrows * cols;
  const float* b = projections.data() + estimate.second * nrows * cols;

  // Mean squared difference between a(k + d) and the mirrored b(cols - 1 - k) over the overlap.
  std::vector<double> cost(std::size_t(2 * max_shift + 1));
#pragma omp parallel for schedule(static)
  for (Index d = -max_shift; d <= max_shift; ++d) {
    double sum = 0;
    std::size_t n = 0;
    for (std::size_t r = 0; r < used_rows; ++r) {
      const std::size_t row = used_rows == 1 ? nrows / 2 : r * (nrows - 1) / (used_rows - 1);
      const float* ar = a + row * cols;
      const float* br = b + row * cols;
      for (Index k = std::max<Index>(0, -d); k < std::min<Index>(Index(cols), Index(cols) - d); ++k) {
        const double diff = double(ar[k + d]) - double(br[Index(cols) - 1 - k]);
        sum += diff * diff;
        ++n;
      }
    }
    cost[std::size_t(d + max_shift)] = sum / double(n);
  }
  const std::size_t best = std::size_t(std::min_element(cost.begin(), cost.end()) - cost.begin());
  double shift = double(Index(best) - max_shift);
  if (best > 0 && best + 1 < cost.size()) {
    const double left = cost[best - 1], mid = cost[best], right = cost[best + 1];
    const double curvature = left - 2 * mid + right;
    if (curvature > 0) shift += 0.5 * (left - right) / curvature;
  }
  estimate.center = (shift + double(cols) - 1.0) / 2.0;
  return estimate;
}

}  // namespace xrecon::tomo
