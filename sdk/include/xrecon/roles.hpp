#pragma once
#include <complex>
#include <cstddef>
#include <optional>

#include "xrecon/array.hpp"
#include "xrecon/component.hpp"
#include "xrecon/context.hpp"
#include "xrecon/export.hpp"
#include "xrecon/payload.hpp"

namespace xrecon {

// Roles that composite solvers (joint ADMM) host by name through Context::make<Role>().

// Solve A x = b (parallel-beam tomography) from x0 for a number of iterations, optionally with
// the proximal term rho * ||x - v||^2 pulling towards v: minimise ||A x - b||^2 + rho ||x - v||^2.
// A negative iteration count leaves the count to the solver (its own `iterations` parameter, as
// the pipeline file set it in the role's block): hosts such as tomo.admm pass kConfigured.
class XRECON_SDK_API TomoSolver : public Component {
 public:
  static constexpr ComponentKind component_kind = ComponentKind::tomo_solver;
  static constexpr int kConfigured = -1;
  ~TomoSolver() override;
  struct Proximal {
    double rho;
    const Volume* v;
  };
  virtual void solve(const Projections& b, Volume& x, int iterations, std::optional<Proximal> proximal,
                     Context& context) = 0;

  // The slab form, for hosts that split the slices over the context's devices and run one thread
  // per rank (tomo.admm): every rank calls it at the same time, each on its own instance of the
  // role, with b, x (and v) holding that rank's slab (detector rows / slices) in the memory of
  // its device, context.devices()[rank]. It is a collective call: a solver whose steps couple the
  // slices (CGLS's step lengths) sums its scalars through context.communicator() as `rank`, so
  // the result does not depend on how many devices share the volume. A rank may hold no slices;
  // it must still join every collective its solver makes. Returns ||A x - b|| over the whole
  // volume (every rank's slices) after the solve when the solver knows it at no extra cost (CGLS
  // does), so that the host need not project again to report its data term; else nullopt.
  // The default solves the slab on its own through solve(), on host copies: exact for solvers
  // whose slices share nothing (SIRT, Landweber), a per-slab variant for the others. A solver
  // whose solve() itself splits the volume over the context's devices must override this.
  virtual std::optional<double> solve_slab(int rank, const Projections& b, Volume& x, int iterations,
                                           std::optional<Proximal> proximal, Context& context);

  // Whether solve and solve_slab honour b.weights (minimise ||W^(1/2) (A x - b)||^2 + rho ||x - v||^2).
  // A host with weights asks first and refuses a solver that would ignore them.
  virtual bool takes_weights() const { return false; }
};

// Solve for the object psi (and optionally the probe) from diffraction patterns, optionally with
// the proximal term rho * ||psi - v||^2. A negative iteration count (kConfigured) leaves the count
// to the solver's own `iterations` parameter.
class XRECON_SDK_API PtychoSolver : public Component {
 public:
  static constexpr ComponentKind component_kind = ComponentKind::ptycho_solver;
  static constexpr int kConfigured = -1;
  ~PtychoSolver() override;
  struct Proximal {
    double rho;
    const ArrayCF* v;
  };
  virtual void solve(const PtychoScan& scan, ArrayCF& psi, ArrayCF& probe, int iterations,
                     std::optional<Proximal> proximal, Context& context) = 0;

  // One scan on one rank's device alone, for hosts that hand each rank its own scans (joint.admm
  // gives each rank its angles): called on several threads at once, each on its own instance of
  // the role, with psi and probe in the memory of context.devices()[rank]; no collective. The
  // default calls solve(), right for a solver that does not itself split its work over the
  // context's devices; one that does (ptycho.cg_solver) overrides this.
  virtual void solve_local(int rank, const PtychoScan& scan, ArrayCF& psi, ArrayCF& probe, int iterations,
                           std::optional<Proximal> proximal, Context& context) {
    (void)rank;
    solve(scan, psi, probe, iterations, proximal, context);
  }
};

// x <- prox(x, strength): TV, a learned denoiser, or a user's network.
class XRECON_SDK_API Prior : public Component {
 public:
  static constexpr ComponentKind component_kind = ComponentKind::prior;
  ~Prior() override;
  virtual void apply(Volume& x, double strength, Context& context) = 0;

  // How many slices beyond each side of a slab apply() reads (TomoGAN's 3-slice input: 1; 2-D
  // TV: 0). A host that splits the slices over devices hands apply() each slab widened by this
  // many slices of its neighbours (fewer at the volume's ends) and keeps the slab's own slices,
  // so that the result does not depend on the device count. apply() may then run on several
  // threads at once, each on its own instance of the role, with x in that rank's device memory.
  virtual std::size_t halo_slices() const { return 0; }

  // Called by a host once before its first iteration, with the shape of the volumes apply() will
  // get (slices, rows, cols; halo included): load what the prior needs (a network) and refuse
  // with an InputError what it cannot work on (a model's channel count, an image size that is
  // not a multiple of the model's), so that a mismatch stops the run before any work is done.
  virtual void prepare(const Shape& volume, Context& context) {
    (void)volume;
    (void)context;
  }
};

}  // namespace xrecon
