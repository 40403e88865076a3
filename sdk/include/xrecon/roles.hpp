#pragma once
#include <complex>
#include <optional>

#include "xrecon/array.hpp"
#include "xrecon/component.hpp"
#include "xrecon/context.hpp"
#include "xrecon/export.hpp"
#include "xrecon/payload.hpp"

namespace xrecon {

// Roles that composite solvers (joint ADMM) host by name through Context::make<Role>().

// Solve A x = b (parallel-beam tomography) from x0 for a number of iterations, optionally with
// the proximal term rho * ||x - v||^2 pulling towards v.
class XRECON_SDK_API TomoSolver : public Component {
 public:
  static constexpr ComponentKind component_kind = ComponentKind::tomo_solver;
  ~TomoSolver() override;
  struct Proximal {
    double rho;
    const Volume* v;
  };
  virtual void solve(const Projections& b, Volume& x, int iterations, std::optional<Proximal> proximal,
                     Context& context) = 0;
};

// Solve for the object psi (and optionally the probe) from diffraction patterns, optionally with
// the proximal term rho * ||psi - v||^2.
class XRECON_SDK_API PtychoSolver : public Component {
 public:
  static constexpr ComponentKind component_kind = ComponentKind::ptycho_solver;
  ~PtychoSolver() override;
  struct Proximal {
    double rho;
    const ArrayCF* v;
  };
  virtual void solve(const PtychoScan& scan, ArrayCF& psi, ArrayCF& probe, int iterations,
                     std::optional<Proximal> proximal, Context& context) = 0;
};

// x <- prox(x, strength): TV, a learned denoiser, or a user's network.
class XRECON_SDK_API Prior : public Component {
 public:
  static constexpr ComponentKind component_kind = ComponentKind::prior;
  ~Prior() override;
  virtual void apply(Volume& x, double strength, Context& context) = 0;
};

}  // namespace xrecon
