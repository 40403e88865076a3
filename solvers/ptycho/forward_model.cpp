// The public one-shot evaluations of the model: farfield, cost and gradients.
#include <string>

#include "input_checks.hpp"
#include "likelihood.hpp"
#include "operators.hpp"
#include "xrecon/ptycho/ptycho.hpp"

namespace xrecon::ptycho {
namespace {

// F^*(residual) of the current model, cut to the probe's size: the part both gradients share.
ArrayCF backpropagated_residual(const ArrayF& patterns, const ArrayCF& windows, const ArrayCF& probe,
                                Likelihood likelihood) {
  const detail::Measurements measured = detail::measurements(patterns, likelihood, detail::SpectrumOrder::fft);
  const ArrayCF spectra = detail::propagate(probe, windows, patterns.extent(1), patterns.extent(2));
  ArrayCF r = detail::residual(spectra, measured);
  return detail::backpropagate(r, probe.extent(0), probe.extent(1));
}

}  // namespace

ArrayCF farfield(const ArrayCF& object, const ArrayCF& probe, const ArrayD& positions) {
  XRECON_CHECK(probe.rank() == 2, "the probe must be a (rows, cols) array, got " + probe.shape().to_string());
  return farfield(object, probe, positions, probe.extent(0), probe.extent(1));
}

ArrayCF farfield(const ArrayCF& object, const ArrayCF& probe, const ArrayD& positions, std::size_t detector_rows,
                 std::size_t detector_cols) {
  detail::check_scan(object, probe, positions);
  XRECON_CHECK(probe.extent(0) <= detector_rows && probe.extent(1) <= detector_cols,
               "the " + probe.shape().to_string() + " probe is larger than the " + std::to_string(detector_rows) + "x" +
                   std::to_string(detector_cols) + " detector");
  const ArrayCF windows = detail::crop_windows(object, positions, probe.extent(0), probe.extent(1));
  return detail::centred(detail::propagate(probe, windows, detector_rows, detector_cols));
}

double cost(const ArrayF& patterns, const ArrayCF& farfield, Likelihood likelihood) {
  XRECON_CHECK(patterns.shape() == farfield.shape(), "patterns " + patterns.shape().to_string() +
                                                         " and farfield " + farfield.shape().to_string() +
                                                         " must have the same shape");
  return detail::data_cost(farfield, detail::measurements(patterns, likelihood, detail::SpectrumOrder::centred));
}

ArrayCF object_gradient(const ArrayF& patterns, const ArrayCF& object, const ArrayCF& probe, const ArrayD& positions,
                        Likelihood likelihood) {
  detail::check_scan(object, probe, positions);
  detail::check_patterns(patterns, probe, positions);
  const ArrayCF windows = detail::crop_windows(object, positions, probe.extent(0), probe.extent(1));
  const ArrayCF back = backpropagated_residual(patterns, windows, probe, likelihood);
  return detail::rounded(detail::object_gradient_from(back, probe, positions, object.shape()));
}

ArrayCF probe_gradient(const ArrayF& patterns, const ArrayCF& object, const ArrayCF& probe, const ArrayD& positions,
                       Likelihood likelihood) {
  detail::check_scan(object, probe, positions);
  detail::check_patterns(patterns, probe, positions);
  const ArrayCF windows = detail::crop_windows(object, positions, probe.extent(0), probe.extent(1));
  const ArrayCF back = backpropagated_residual(patterns, windows, probe, likelihood);
  return detail::rounded(detail::probe_gradient_from(back, windows));
}

}  // namespace xrecon::ptycho
