// Illumination functions for simulated ptychography: a Gaussian beam and a lens focus.
#include <cmath>
#include <numbers>

#include "fft2.hpp"
#include "xrecon/sim/ptycho_sim.hpp"

namespace xrecon::sim {

ArrayCF gaussian_probe(std::size_t n, double fwhm) {
  XRECON_CHECK(n > 0 && fwhm > 0.0, "a Gaussian probe needs a positive size and FWHM");
  // Intensity exp(-4 ln2 r^2 / fwhm^2) halves at r = fwhm / 2; the amplitude is its square root.
  const double rate = 2.0 * std::numbers::ln2 / (fwhm * fwhm);
  // Centred at index n / 2 like focused_probe, the pixel the detector's zero frequency uses.
  const double centre = double(n / 2);
  ArrayCF probe(Shape{n, n});
  for (std::size_t row = 0; row < n; ++row)
    for (std::size_t col = 0; col < n; ++col) {
      const double dy = double(row) - centre, dx = double(col) - centre;
      probe[row * n + col] = {float(std::exp(-rate * (dx * dx + dy * dy))), 0.0f};
    }
  return probe;
}

ArrayCF focused_probe(std::size_t n, double fwhm, double defocus) {
  XRECON_CHECK(n > 0 && fwhm > 0.0, "a focused probe needs a positive size and FWHM");
  const double radius = 1.029 * double(n) / fwhm / 2.0;
  XRECON_CHECK(radius >= 1.0 && radius <= double(n) / 2.0,
               "a focused probe of FWHM " + std::to_string(fwhm) + " px does not fit a " + std::to_string(n) +
                   " px window (the pupil would be under 2 px or wider than the window)");
  detail::Fft2 fft(n, n, detail::FftDirection::inverse);
  std::complex<float>* pupil = fft.buffer();
  std::size_t open = 0;
  // The pupil is laid out with its zero frequency at index 0, where the FFT expects it.
  for (std::size_t row = 0; row < n; ++row)
    for (std::size_t col = 0; col < n; ++col) {
      const double v = double(detail::centred_index(row, n)) - double(n / 2);
      const double u = double(detail::centred_index(col, n)) - double(n / 2);
      const double rho2 = (u * u + v * v) / (radius * radius);
      const bool inside = rho2 <= 1.0;
      open += inside;
      pupil[row * n + col] = inside ? std::polar(1.0f, float(defocus * rho2)) : std::complex<float>{};
    }
  fft.execute();
  // In focus the field at the centre is the open pupil's sum over n (orthonormal transform).
  const float peak_scale = float(double(n) / double(open));
  ArrayCF probe(Shape{n, n});
  for (std::size_t row = 0; row < n; ++row)
    for (std::size_t col = 0; col < n; ++col)
      probe[detail::centred_index(row, n) * n + detail::centred_index(col, n)] = pupil[row * n + col] * peak_scale;
  return probe;
}

void normalize_probe_photons(ArrayCF& probe, double photons) {
  XRECON_CHECK(photons > 0.0, "photons must be positive, got " + std::to_string(photons));
  double total = 0.0;
  for (const std::complex<float>& value : probe.host_span()) total += std::norm(value);
  XRECON_CHECK(total > 0.0, "cannot scale a probe that is zero everywhere");
  const float scale = float(std::sqrt(photons / total));
  for (std::complex<float>& value : probe.host_span()) value *= scale;
}

}  // namespace xrecon::sim
