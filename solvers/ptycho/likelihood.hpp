#pragma once
// The data term: measured patterns as each likelihood uses them, its cost and its residual
// F e - (the part of F e the data explain), on float spectra with double accumulation.
#include "xrecon/array.hpp"
#include "xrecon/ptycho/ptycho.hpp"

namespace xrecon::ptycho::detail {

// sqrt(d) for the Gaussian likelihood, d for the Poisson one, in the order of the spectra they
// are compared with.
struct Measurements {
  Likelihood likelihood = Likelihood::gaussian;
  ArrayF values;
};

enum class SpectrumOrder { centred, fft };

// Patterns are centred; `order` says which order the spectra they meet will be in.
Measurements measurements(const ArrayF& patterns, Likelihood likelihood, SpectrumOrder order);

// The cost of spectra (same shape and order as the measurements).
double data_cost(const ArrayCF& spectra, const Measurements& measured);
// cost(spectra + gamma * step) - cost(spectra), without forming the trial spectra: the line
// search's test. Summed as per-element differences in double, because the Poisson cost of real
// counts is ~1e9 while a late step changes it by ~1e3: comparing two totals would leave the
// decision to the rounding of the totals.
double data_cost_change_along(const ArrayCF& spectra, const ArrayCF& step, double gamma, const Measurements& measured);
// df / d conj(spectra), element by element.
ArrayCF residual(const ArrayCF& spectra, const Measurements& measured);

// Spectra in FFT order moved to zero frequency at the centre of each frame.
ArrayCF centred(const ArrayCF& spectra);

}  // namespace xrecon::ptycho::detail
