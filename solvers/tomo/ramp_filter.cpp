// The FBP ramp filter. The filter is the DFT of the spatial discrete ramp (Kak & Slaney,
// eq. 61) rather than |f| sampled in frequency: the sampled |f| has a zero DC term and leaves a
// negative offset (cupping) in the reconstruction, while the spatial ramp has the right small DC.
#include <algorithm>
#include <numbers>
#include <vector>

#include "fbp_kernels.hpp"
#include "fft_plans.hpp"
#include "ramp_response.hpp"
#include "validation.hpp"
#include "xrecon/tomo/fbp.hpp"

namespace xrecon::tomo {

std::vector<float> detail::ramp_response(std::size_t length, FilterWindow window) {
  const detail::RealFftPlans& plans = detail::real_fft_plans(length);
  const std::size_t half = length / 2;
  detail::AlignedBuffer<float> ramp(length);
  detail::AlignedBuffer<fftwf_complex> spectrum(half + 1);
  std::fill(ramp.data(), ramp.data() + length, 0.0f);
  ramp[0] = 0.25f;
  for (std::size_t k = 1; k <= half; k += 2) {
    const double pk = std::numbers::pi * double(k);
    ramp[k] = ramp[length - k] = static_cast<float>(-1.0 / (pk * pk));
  }
  fftwf_execute_dft_r2c(plans.forward, ramp.data(), spectrum.data());
  // The ramp is real and even, so its spectrum is real.
  std::vector<float> response(half + 1);
  for (std::size_t m = 0; m <= half; ++m)
    response[m] = static_cast<float>(spectrum[m][0] * filter_window_gain(window, double(m) / double(half)) /
                                     double(length));
  return response;
}

namespace {

// The OpenMP backend: each thread pads, transforms, filters and crops whole rows.
void filter_rows_on_host(const float* in, std::size_t lines, std::size_t cols, const std::vector<float>& response,
                         float* out) {
  const std::size_t length = filter_padded_length(cols), half = length / 2;
  const detail::RealFftPlans& plans = detail::real_fft_plans(length);
#pragma omp parallel
  {
    detail::AlignedBuffer<float> row(length);
    detail::AlignedBuffer<fftwf_complex> spectrum(half + 1);
#pragma omp for schedule(static)
    for (std::size_t line = 0; line < lines; ++line) {
      std::copy(in + line * cols, in + (line + 1) * cols, row.data());
      std::fill(row.data() + cols, row.data() + length, 0.0f);
      fftwf_execute_dft_r2c(plans.forward, row.data(), spectrum.data());
      for (std::size_t m = 0; m <= half; ++m) {
        spectrum[m][0] *= response[m];
        spectrum[m][1] *= response[m];
      }
      fftwf_execute_dft_c2r(plans.inverse, spectrum.data(), row.data());
      std::copy(row.data(), row.data() + cols, out + line * cols);
    }
  }
}

}  // namespace

std::size_t filter_padded_length(std::size_t cols) {
  std::size_t length = 2;
  while (length < 2 * cols) length *= 2;
  return length;
}

ArrayF filter_projections(const ArrayF& projections, FilterWindow window) {
  detail::check_projection_array(projections);
  const std::size_t angles = projections.extent(0), slices = projections.extent(1), cols = projections.extent(2);
  const std::vector<float> response = detail::ramp_response(filter_padded_length(cols), window);
  const MemorySpace space = projections.space();
  ArrayF filtered(projections.shape(), space);
  if (space.is_host())
    filter_rows_on_host(projections.data(), angles * slices, cols, response, filtered.data());
  else
    kernels::cuda::filter_rows(space.device, projections.data(), angles, cols, {slices, 0, slices}, response,
                               filtered.data());
  return filtered;
}

}  // namespace xrecon::tomo
