#include "likelihood.hpp"

#include <cmath>
#include <complex>
#include <string>

#include "cost_change_cpu.hpp"
#include "parallel.hpp"
#include "ptycho_kernels.hpp"
#include "ptycho_math.hpp"

namespace xrecon::ptycho::detail {
namespace {

using Complex = std::complex<float>;
constexpr float kEpsilon = float(kPoissonEpsilon);

// Copies frames so that FFT index k lands at (k + n / 2) mod n, the centred index (fftshift), or
// back (ifftshift) when `to_fft` is set. Odd sizes make the two differ.
template <typename T>
Array<T> reordered(const Array<T>& frames, bool to_fft) {
  const std::size_t count = frames.extent(0), rows = frames.extent(1), cols = frames.extent(2);
  Array<T> out(frames.shape(), frames.space());
  if (!frames.space().is_host()) {
    kernels::cuda::reorder(frames.space().device, frames.data(), count, rows, cols, to_fft, out.data());
    return out;
  }
  const T* in = frames.data();
  T* o = out.data();
#pragma omp parallel for if(worth_parallel(frames.size())) collapse(2) schedule(dynamic, chunk_for(cols))
  for (std::size_t j = 0; j < count; ++j)
    for (std::size_t y = 0; y < rows; ++y) {
      const std::size_t centred_y = (y + rows / 2) % rows;
      for (std::size_t x = 0; x < cols; ++x) {
        const std::size_t centred_x = (x + cols / 2) % cols;
        const std::size_t fft_index = (j * rows + y) * cols + x;
        const std::size_t centred_index = (j * rows + centred_y) * cols + centred_x;
        if (to_fft)
          o[fft_index] = in[centred_index];
        else
          o[centred_index] = in[fft_index];
      }
    }
  return out;
}

float cost_term(Complex z, float measured, Likelihood likelihood) {
  return likelihood == Likelihood::gaussian ? gaussian_cost_term(z, measured)
                                            : poisson_cost_term(z, measured, kEpsilon);
}

}  // namespace

Measurements measurements(const ArrayF& patterns, Likelihood likelihood, SpectrumOrder order) {
  Measurements m{likelihood, order == SpectrumOrder::fft ? reordered(patterns, true) : patterns.clone()};
  if (likelihood == Likelihood::gaussian && !m.values.space().is_host()) {
    kernels::cuda::square_root(m.values.space().device, m.values.data(), m.values.size());
  } else if (likelihood == Likelihood::gaussian) {
    float* v = m.values.data();
    const std::size_t size = m.values.size();
#pragma omp parallel for if(worth_parallel(size)) schedule(dynamic, chunk_for(1))
    for (std::size_t i = 0; i < size; ++i) v[i] = std::sqrt(v[i]);
  }
  return m;
}

static void check_spaces(const char* op, const ArrayCF& spectra, const Measurements& measured) {
  XRECON_CHECK(spectra.space() == measured.values.space(), std::string(op) + ": spectra in " +
                                                               spectra.space().to_string() + ", measurements in " +
                                                               measured.values.space().to_string());
  XRECON_CHECK(spectra.size() == measured.values.size(), std::string(op) + ": " + std::to_string(spectra.size()) +
                                                             " spectra values for " +
                                                             std::to_string(measured.values.size()) + " measured");
}

double data_cost(const ArrayCF& spectra, const Measurements& measured) {
  check_spaces("data_cost", spectra, measured);
  if (!spectra.space().is_host())
    return kernels::cuda::data_cost(spectra.space().device, spectra.data(), measured.values.data(), spectra.size(),
                                    measured.likelihood == Likelihood::gaussian);
  const Complex* z = spectra.data();
  const float* d = measured.values.data();
  const std::size_t size = spectra.size();
  const Likelihood likelihood = measured.likelihood;
  return ordered_sum(size, [=](std::size_t i) { return double(cost_term(z[i], d[i], likelihood)); });
}

double data_cost_change_along(const ArrayCF& spectra, const ArrayCF& step, double gamma, const Measurements& measured) {
  check_spaces("data_cost_change_along", spectra, measured);
  check_spaces("data_cost_change_along", step, measured);
  const bool gaussian = measured.likelihood == Likelihood::gaussian;
  if (!spectra.space().is_host())
    return kernels::cuda::data_cost_change_along(spectra.space().device, spectra.data(), step.data(), gamma,
                                                 measured.values.data(), spectra.size(), gaussian);
  const Complex* z = spectra.data();
  const Complex* s = step.data();
  const float* d = measured.values.data();
  const std::size_t size = spectra.size();
  return ordered_block_sum(size, [=](std::size_t begin, std::size_t end) {
    return cost_change_sum(z + begin, s + begin, d + begin, end - begin, gamma, gaussian, kPoissonEpsilon);
  });
}

ArrayCF residual(const ArrayCF& spectra, const Measurements& measured) {
  check_spaces("residual", spectra, measured);
  ArrayCF out(spectra.shape(), spectra.space());
  if (!spectra.space().is_host()) {
    kernels::cuda::residual(spectra.space().device, spectra.data(), measured.values.data(), spectra.size(),
                            measured.likelihood == Likelihood::gaussian, out.data());
    return out;
  }
  const Complex* z = spectra.data();
  const float* d = measured.values.data();
  Complex* r = out.data();
  const std::size_t size = spectra.size();
  const bool gaussian = measured.likelihood == Likelihood::gaussian;
#pragma omp parallel for if(worth_parallel(size)) schedule(dynamic, chunk_for(1))
  for (std::size_t i = 0; i < size; ++i)
    r[i] = gaussian ? gaussian_residual(z[i], d[i]) : poisson_residual(z[i], d[i], kEpsilon);
  return out;
}

ArrayCF centred(const ArrayCF& spectra) { return reordered(spectra, false); }

}  // namespace xrecon::ptycho::detail
