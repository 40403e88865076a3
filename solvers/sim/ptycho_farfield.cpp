// The far-field forward model used to simulate ptychographic data, and its photon noise.
#include <cmath>
#include <cstdint>

#include "fft2.hpp"
#include "random_bits.hpp"
#include "xrecon/sim/noise.hpp"
#include "xrecon/sim/ptycho_sim.hpp"

namespace xrecon::sim {
namespace {

// psi at (row + i, col + j) for the sub-pixel corner (row, col): the 4-weight bilinear blend
// of the pixels around it, as tike crops.
void bilinear_crop(const ArrayCF& object, double row, double col, std::size_t h, std::size_t w,
                   std::complex<float>* out) {
  const std::size_t cols = object.extent(1);
  const double top = std::floor(row), left = std::floor(col);
  const float fy = float(row - top), fx = float(col - left);
  const std::size_t r0 = std::size_t(top), c0 = std::size_t(left);
  const std::complex<float>* psi = object.data();
  for (std::size_t i = 0; i < h; ++i) {
    const std::complex<float>* upper = psi + (r0 + i) * cols + c0;
    const std::complex<float>* lower = upper + cols;
    for (std::size_t j = 0; j < w; ++j)
      out[i * w + j] = (1.0f - fy) * ((1.0f - fx) * upper[j] + fx * upper[j + 1]) +
                       fy * ((1.0f - fx) * lower[j] + fx * lower[j + 1]);
  }
}

void check_windows_inside(const ArrayCF& object, const ArrayD& positions, std::size_t h, std::size_t w) {
  for (std::size_t j = 0; j < positions.extent(0); ++j) {
    const double row = positions[j * 2], col = positions[j * 2 + 1];
    XRECON_CHECK(row >= 0.0 && col >= 0.0 && std::floor(row) + double(h) + 1.0 <= double(object.extent(0)) &&
                     std::floor(col) + double(w) + 1.0 <= double(object.extent(1)),
                 "scan position " + std::to_string(j) + " (" + std::to_string(row) + ", " + std::to_string(col) +
                     ") puts the probe window outside the object grid " + object.shape().to_string());
  }
}

}  // namespace

ArrayF farfield_intensities(const ArrayCF& object, const ArrayCF& probe, const ArrayD& positions) {
  XRECON_CHECK(object.rank() == 2 && probe.rank() == 2 && positions.rank() == 2 && positions.extent(1) == 2,
               "farfield_intensities needs a 2-D object and probe and (N, 2) positions");
  const std::size_t h = probe.extent(0), w = probe.extent(1), count = positions.extent(0);
  check_windows_inside(object, positions, h, w);
  ArrayF patterns(Shape{count, h, w});
#pragma omp parallel
  {
    detail::Fft2 fft(h, w, detail::FftDirection::forward);
    std::complex<float>* wave = fft.buffer();
#pragma omp for schedule(static)
    for (std::int64_t j = 0; j < std::int64_t(count); ++j) {
      bilinear_crop(object, positions[std::size_t(j) * 2], positions[std::size_t(j) * 2 + 1], h, w, wave);
      for (std::size_t i = 0; i < h * w; ++i) wave[i] *= probe[i];
      fft.execute();
      float* pattern = patterns.data() + std::size_t(j) * h * w;
      for (std::size_t r = 0; r < h; ++r)
        for (std::size_t c = 0; c < w; ++c)
          pattern[detail::centred_index(r, h) * w + detail::centred_index(c, w)] = std::norm(wave[r * w + c]);
    }
  }
  return patterns;
}

ArrayF poisson_counts(const ArrayF& intensities, std::uint64_t seed) {
  ArrayF counts(intensities.shape());
  // One generator per pattern (the leading axis), so the noise does not depend on the thread count.
  const std::size_t frames = intensities.rank() == 0 ? 1 : intensities.extent(0);
  const std::size_t frame = frames == 0 ? 0 : intensities.size() / frames;
#pragma omp parallel for schedule(static)
  for (std::int64_t f = 0; f < std::int64_t(frames); ++f) {
    std::mt19937_64 rng(detail::mix_bits(seed ^ detail::mix_bits(std::uint64_t(f))));
    for (std::size_t i = std::size_t(f) * frame; i < (std::size_t(f) + 1) * frame; ++i)
      counts[i] = float(poisson_sample(double(intensities[i]), rng));
  }
  return counts;
}

}  // namespace xrecon::sim
