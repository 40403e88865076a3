#include "transmission.hpp"

#include <cmath>

#include <xrecon/error.hpp>

namespace xrecon::joint_plugin {

ArrayCF transmission(const ArrayF& phase, const ArrayF& attenuation) {
  XRECON_CHECK(phase.shape() == attenuation.shape(), "phase and attenuation projections differ in shape");
  ArrayCF h(phase.shape());
  const auto p = phase.host_span(), q = attenuation.host_span();
  auto out = h.host_span();
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = std::polar(std::exp(-q[i]), p[i]);
  return h;
}

std::complex<double> side_mean(const ArrayCF& t) {
  XRECON_CHECK(t.rank() == 2 && t.extent(0) >= 1 && t.extent(1) >= 2, "a transmission image is (rows, cols), at least 1 x 2");
  const std::size_t rows = t.extent(0), cols = t.extent(1);
  const auto v = t.host_span();
  std::complex<double> sum = 0;
  for (std::size_t r = 0; r < rows; ++r) sum += std::complex<double>(v[r * cols]) + std::complex<double>(v[r * cols + cols - 1]);
  return sum / double(2 * rows);
}

LinearisedLog linearised_log(const ArrayCF& t) {
  const std::complex<double> edge = side_mean(t);
  const double edge_amplitude = std::abs(edge);
  XRECON_CHECK(edge_amplitude > 0 && std::isfinite(edge_amplitude),
               "the transmission estimate has no amplitude at its sides (air expected there)");
  const std::complex<double> unit = edge / edge_amplitude;
  LinearisedLog out{ArrayF(t.shape()), ArrayF(t.shape())};
  const auto v = t.host_span();
  auto p = out.phase.host_span(), q = out.attenuation.host_span();
  for (std::size_t i = 0; i < v.size(); ++i) {
    const std::complex<double> referred = std::complex<double>(v[i]) / unit;
    p[i] = float(std::arg(referred));
    q[i] = float(-std::log(std::max(std::abs(referred), 1e-6 * edge_amplitude) / edge_amplitude));
  }
  return out;
}

}  // namespace xrecon::joint_plugin
