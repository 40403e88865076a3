#pragma once
// The ADMM penalty rho and its residual balancing (Boyd, Parikh, Chu, Peleato, Eckstein 2011,
// section 3.4.1; He, Yang, Wang 2000): when the primal residual exceeds `threshold` times the
// dual one, rho grows by `factor`; when the dual one exceeds `threshold` times the primal one,
// rho shrinks by it. Both ADMM hosts (tomo.admm, joint.admm) keep their penalties here.
//
// rho is kept as rho0 * factor^exponent * growth^steps rather than multiplied in place, so that two
// integers are the whole state: a run resumed from a checkpoint takes exactly the rho values of
// the run it continues, bit for bit.
#include <cmath>

namespace xrecon::admm {

struct BalancingOptions {
  double factor = 2;       // tau > 1: rho is multiplied or divided by it
  double threshold = 10;   // mu > 1: the band of residual ratios left alone is [1/mu, mu]
  bool enabled = true;
  // Continuation: rho is also multiplied by this after every iteration (>= 1; 1 is off). With a
  // denoiser that is not a proximal operator (a network), plug-and-play ADMM converges when rho
  // grows without bound (Chan, Wang, Elgendy, IEEE TCI 3(1), 2017): the prior's strength, tied
  // to 1 / rho, fades and the iterates settle.
  double growth = 1;
};

class Penalty {
 public:
  Penalty(double rho0, BalancingOptions options, int exponent = 0, int steps = 0);

  double rho() const { return rho0_ * std::pow(options_.factor, exponent_) * std::pow(options_.growth, steps_); }
  double initial() const { return rho0_; }
  int exponent() const { return exponent_; }
  int steps() const { return steps_; }
  const BalancingOptions& options() const { return options_; }

  // Balances rho against the residuals of the iteration just done. Returns the factor rho was
  // multiplied by (1 when left alone); a scaled dual variable u = y / rho must be divided by it.
  double balance(double primal_residual, double dual_residual);
  // The continuation step after an iteration; returns the factor rho was multiplied by, as balance().
  double grow();

 private:
  double rho0_;
  BalancingOptions options_;
  int exponent_;
  int steps_;
};

}  // namespace xrecon::admm
