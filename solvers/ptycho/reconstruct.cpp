// Dai-Yuan CG for the object (and, alternating, the probe). The model is linear in each unknown
// separately, so along a direction d the spectra are z + gamma F(d-part) exactly: each step costs
// one inverse FFT batch (the gradient) and one forward batch (the direction's spectra), and the
// line search tries step lengths on those without further FFTs (PtyGer's observation).
#include <array>
#include <span>
#include <cmath>
#include <functional>
#include <optional>
#include <string>

#include "complex_ops.hpp"
#include "input_checks.hpp"
#include "likelihood.hpp"
#include "operators.hpp"
#include "xrecon/ptycho/ptycho.hpp"

namespace xrecon::ptycho {
namespace {

using detail::axpy;
using detail::real_dot;
using detail::squared_norm;

template <typename T>
Array<T> in_space(const Array<T>& a, MemorySpace space) {
  return a.space() == space ? a : a.to(space);
}

// The first trial step of a fresh direction; below kSmallestStep the backtracking stops: the
// direction does not descend in float.
constexpr double kFirstStep = 1;
constexpr double kSmallestStep = 1e-32;

// The search direction of one unknown and the step length carried between iterations.
class DaiYuanDirection {
 public:
  // d = -g + beta d_prev, beta = ||g||^2 / Re<d_prev, g - g_prev>; steepest descent when there is
  // no previous direction, when beta is not a positive number, or when d would not descend.
  const ArrayCF& next(const ArrayCF& gradient) {
    double beta = 0;
    if (direction_.empty()) {
      direction_ = detail::zeros_like(gradient);
    } else {
      const double curvature = real_dot(direction_, gradient) - real_dot(direction_, previous_gradient_);
      beta = squared_norm(gradient) / curvature;
      if (!(std::isfinite(beta) && beta > 0)) beta = 0;
    }
    detail::descent_update(gradient, beta, direction_);
    if (beta > 0 && real_dot(gradient, direction_) >= 0) detail::descent_update(gradient, 0.0, direction_);
    previous_gradient_ = gradient.clone();
    return direction_;
  }

  // After a failed line search: the next direction is the steepest descent, from a fresh step.
  void restart() {
    direction_ = ArrayCF();
    gamma_ = kFirstStep / 2;
  }

  // The first trial doubles the last accepted step, so a step cut short once can grow back.
  double first_trial() const { return 2 * gamma_; }
  void accept(double gamma) { gamma_ = gamma; }

 private:
  ArrayCF direction_;
  ArrayCF previous_gradient_;
  double gamma_ = kFirstStep / 2;
};

class CgSolver {
 public:
  CgSolver(const ArrayF& patterns, const ArrayD& positions, ArrayCF& object, ArrayCF& probe, const CgOptions& options)
      : positions_(detail::positions_in(positions, object.space())),
        object_(object),
        probe_(probe),
        options_(options),
        measured_(detail::measurements(in_space(patterns, object.space()), options.likelihood,
                                       detail::SpectrumOrder::fft)),
        detector_rows_(patterns.extent(1)),
        detector_cols_(patterns.extent(2)) {
    if (options.proximal) proximal_v_ = in_space(*options.proximal->v, object.space());
    refresh_model();
  }

  double cost() const { return data_cost_ + proximal_cost(); }

  void object_step() {
    ArrayCF gradient = summed_gradient(
        detail::object_gradient_from(backpropagated_residual(), probe_, positions_, object_.shape()),
        options_.all_reduce_object_gradient);
    // rho ||psi - v||^2 has df / d conj(psi) = rho (psi - v).
    if (options_.proximal) {
      axpy(options_.proximal->rho, object_, gradient);
      axpy(-options_.proximal->rho, proximal_v_, gradient);
    }
    const ArrayCF& direction = object_direction_.next(gradient);
    const ArrayCF direction_windows = detail::crop_windows(direction, positions_, probe_.extent(0), probe_.extent(1));
    const ArrayCF step = detail::propagate(probe_, direction_windows, detector_rows_, detector_cols_);

    // The proximal term along d, a quadratic in gamma from three numbers.
    std::array<double, 3> proximal{0, 0, 0};
    if (options_.proximal) {
      ArrayCF offset = object_.clone();
      axpy(-1.0, proximal_v_, offset);
      const double rho = options_.proximal->rho;
      proximal = {rho * squared_norm(offset), 2 * rho * real_dot(offset, direction), rho * squared_norm(direction)};
    }
    const auto accepted = line_search(object_direction_, step, [&](double gamma) {
      return proximal[0] + gamma * proximal[1] + gamma * gamma * proximal[2];
    });
    if (!accepted) return;
    axpy(*accepted, direction, object_);
    axpy(*accepted, direction_windows, windows_);
    axpy(*accepted, step, spectra_);
    if (options_.max_amplitude && detail::clamp_amplitude(object_, *options_.max_amplitude)) refresh_model();
  }

  void probe_step() {
    ArrayCF gradient = summed_gradient(detail::probe_gradient_from(backpropagated_residual(), windows_),
                                       options_.all_reduce_probe_gradient);
    const ArrayCF& direction = probe_direction_.next(gradient);
    const ArrayCF step = detail::propagate(direction, windows_, detector_rows_, detector_cols_);
    const double proximal = proximal_cost();
    const auto accepted = line_search(probe_direction_, step, [&](double) { return proximal; });
    if (!accepted) return;
    axpy(*accepted, direction, probe_);
    axpy(*accepted, step, spectra_);
  }

 private:
  // The model of the current object and probe, from scratch.
  void refresh_model() {
    windows_ = detail::crop_windows(object_, positions_, probe_.extent(0), probe_.extent(1));
    spectra_ = detail::propagate(probe_, windows_, detector_rows_, detector_cols_);
    data_cost_ = summed(detail::data_cost(spectra_, measured_));
  }

  ArrayCF backpropagated_residual() const {
    ArrayCF r = detail::residual(spectra_, measured_);
    return detail::backpropagate(r, probe_.extent(0), probe_.extent(1));
  }

  // Backtracking: halve gamma from the carried-over trial until the cost does not rise. Returns
  // the accepted step, having moved the data cost to its value there; nothing when none is found.
  template <typename ExtraCost>
  std::optional<double> line_search(DaiYuanDirection& direction, const ArrayCF& step, ExtraCost extra_cost) {
    const double extra_now = extra_cost(0.0);
    for (double gamma = direction.first_trial(); gamma >= kSmallestStep; gamma /= 2) {
      const double change = summed(detail::data_cost_change_along(spectra_, step, gamma, measured_));
      if (change + (extra_cost(gamma) - extra_now) <= 0) {
        direction.accept(gamma);
        data_cost_ += change;
        return gamma;
      }
    }
    direction.restart();
    return std::nullopt;
  }

  // A rank's partial gradient summed over the ranks in double, then rounded to float once.
  static ArrayCF summed_gradient(detail::ArrayCD partial, const std::function<void(std::span<double>)>& all_reduce) {
    if (all_reduce) {
      // On a GPU the scatter kernels may still be adding into `partial` on the default stream,
      // while the communicator (nccl) reads it from a stream of its own: wait for them first.
      detail::finish_producers(partial);
      all_reduce(std::span<double>(reinterpret_cast<double*>(partial.data()), 2 * partial.size()));
    }
    return detail::rounded(partial);
  }

  double summed(double partial) const {
    if (options_.all_reduce_scalars) options_.all_reduce_scalars(std::span<double>(&partial, 1));
    return partial;
  }

  double proximal_cost() const {
    if (!options_.proximal) return 0;
    ArrayCF offset = object_.clone();
    axpy(-1.0, proximal_v_, offset);
    return options_.proximal->rho * squared_norm(offset);
  }

  const ArrayD positions_;  // in the object's memory space
  ArrayCF& object_;
  ArrayCF& probe_;
  const CgOptions& options_;
  const detail::Measurements measured_;
  ArrayCF proximal_v_;  // the proximal centre in the object's memory space
  const std::size_t detector_rows_, detector_cols_;
  ArrayCF windows_;   // Q psi, (N, h, w)
  ArrayCF spectra_;   // F(P Q psi), FFT order, (N, H, W)
  double data_cost_ = 0;  // summed over the ranks
  DaiYuanDirection object_direction_;
  DaiYuanDirection probe_direction_;
};

void check_options(const CgOptions& options, const ArrayCF& object) {
  if (options.max_amplitude)
    XRECON_CHECK(std::isfinite(*options.max_amplitude) && *options.max_amplitude > 0,
                 "the maximum amplitude must be finite and > 0, got " + std::to_string(*options.max_amplitude));
  if (!options.proximal) return;
  XRECON_CHECK(std::isfinite(options.proximal->rho) && options.proximal->rho >= 0,
               "the proximal weight rho must be finite and >= 0, got " + std::to_string(options.proximal->rho));
  XRECON_CHECK(options.proximal->v != nullptr, "the proximal term needs its centre v");
  XRECON_CHECK(options.proximal->v->shape() == object.shape(),
               "the proximal centre v has shape " + options.proximal->v->shape().to_string() +
                   " but the object has " + object.shape().to_string());
}

}  // namespace

CgResult reconstruct(const ArrayF& patterns, const ArrayD& positions, ArrayCF& object, ArrayCF& probe,
                     const CgOptions& options) {
  detail::check_scan(object, probe, positions);
  detail::check_patterns(patterns, probe, positions);
  check_options(options, object);
  XRECON_CHECK(probe.space() == object.space(), "the probe is in " + probe.space().to_string() + " but the object in " +
                                                    object.space().to_string() + "; reconstruct() runs where they are");
  CgSolver solver(patterns, positions, object, probe, options);
  CgResult result;
  for (std::size_t iteration = 1; iteration <= options.iterations; ++iteration) {
    solver.object_step();
    if (options.recover_probe) solver.probe_step();
    result.costs.push_back(solver.cost());
    if (options.on_iteration) options.on_iteration({iteration, result.costs.back()});
  }
  return result;
}

}  // namespace xrecon::ptycho
