#include "xrecon/admm/penalty.hpp"

#include <string>

#include "xrecon/error.hpp"

namespace xrecon::admm {

Penalty::Penalty(double rho0, BalancingOptions options, int exponent, int steps)
    : rho0_(rho0), options_(options), exponent_(exponent), steps_(steps) {
  XRECON_CHECK(std::isfinite(rho0) && rho0 > 0, "the ADMM penalty rho must be finite and > 0, got " + std::to_string(rho0));
  XRECON_CHECK(options.factor > 1 && std::isfinite(options.factor),
               "the residual balancing factor must be > 1, got " + std::to_string(options.factor));
  XRECON_CHECK(options.threshold > 1 && std::isfinite(options.threshold),
               "the residual balancing threshold must be > 1, got " + std::to_string(options.threshold));
  XRECON_CHECK(options.growth >= 1 && std::isfinite(options.growth),
               "the penalty's growth per iteration must be >= 1, got " + std::to_string(options.growth));
}

double Penalty::grow() {
  if (options_.growth == 1) return 1;
  ++steps_;
  return options_.growth;
}

double Penalty::balance(double primal_residual, double dual_residual) {
  if (!options_.enabled) return 1;
  if (primal_residual > options_.threshold * dual_residual) {
    ++exponent_;
    return options_.factor;
  }
  if (dual_residual > options_.threshold * primal_residual) {
    --exponent_;
    return 1 / options_.factor;
  }
  return 1;
}

}  // namespace xrecon::admm
