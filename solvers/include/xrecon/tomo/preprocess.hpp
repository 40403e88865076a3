#pragma once
// From detector counts to line integrals, and where the rotation axis is (TomoPy's normalize,
// minus_log and find_center, written for our geometry: see projector.hpp).
#include <cstddef>
#include <string>

#include "xrecon/array.hpp"

namespace xrecon::tomo {

// Below these the denominator and the transmission are clamped before dividing and taking the
// logarithm, so dead pixels and fully absorbed rays give large finite values, not inf or NaN.
inline constexpr double kMinFlatMinusDark = 1e-6;
inline constexpr double kMinTransmission = 1e-6;

// The mean of frames (n, rows, cols) over n, as one frame (1, rows, cols).
ArrayF mean_frame(const ArrayF& frames);

// In place: data (angles, rows, cols) <- (data - dark) / max(flat - dark, kMinFlatMinusDark), with
// flats and darks (n, rows, cols) averaged over their frames first.
void normalize_flat_dark(ArrayF& data, const ArrayF& flats, const ArrayF& darks);

// In place: data <- -log(max(data, kMinTransmission)).
void minus_log(ArrayF& data);

// A transmission lies in (0, 1], give or take noise and phase-contrast fringes. Data of which
// more than kMaxOutsideShare of the values exceed kMaxTransmissionValue, or more than
// kMaxNonPositiveShare are zero or negative, is something else: line integrals already (a
// sinogram is zero outside the object and large inside), or raw counts, and -log of it is
// meaningless. What the values look like, and whether they pass.
inline constexpr double kMaxTransmissionValue = 1.5;
inline constexpr double kMaxOutsideShare = 0.1;
inline constexpr double kMaxNonPositiveShare = 0.1;
struct TransmissionCheck {
  double above_share = 0;        // share of values above kMaxTransmissionValue
  double non_positive_share = 0; // share of values <= 0
  double max_value = 0;
  bool looks_like_transmission() const {
    return above_share <= kMaxOutsideShare && non_positive_share <= kMaxNonPositiveShare;
  }
  // "12.5% of the values are above 1.5 (the largest is 310.2), 30.1% are zero or negative"
  std::string describe() const;
};
TransmissionCheck check_transmission(const ArrayF& data);

struct CenterEstimate {
  double center = 0;           // column of the rotation axis
  std::size_t first = 0;       // the projection pair used
  std::size_t second = 0;
  double angle_error = 0;      // |theta_second - theta_first - pi| in radians
};

// Finds the rotation axis from the two projections closest to 180 degrees apart: the second,
// mirrored, is the first shifted by 2 * center - (cols - 1). The shift minimising the mean
// squared difference over `rows` evenly spaced detector rows, refined to sub-pixel by a parabola
// through the three best shifts, gives the centre. `max_offset` bounds |center - (cols-1)/2|.
CenterEstimate find_center_by_correlation(const ArrayF& projections, const std::vector<double>& angles,
                                          std::size_t rows = 32, double max_offset = -1);

}  // namespace xrecon::tomo
