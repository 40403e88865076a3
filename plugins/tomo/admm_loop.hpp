#pragma once
// The iterations of tomo.admm (scaled-form ADMM with a plug-and-play prior), run by every rank on
// its slab of slices in its device's memory. See docs/tomo-admm.md for the formulation.
#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

#include <xrecon/admm/penalty.hpp>
#include <xrecon/admm/report.hpp>
#include <xrecon/context.hpp>
#include <xrecon/payload.hpp>
#include <xrecon/roles.hpp>
#include <xrecon/tomo/projector.hpp>

namespace xrecon::tomo_plugin {

struct AdmmSettings {
  std::size_t iterations = 30;
  double rho = 1;  // initial penalty, relative to max(A^T A 1) (normal_operator_scale)
  admm::BalancingOptions balancing;
  double primal_tolerance = 1e-4;  // relative: ||x - z|| <= tol * max(||x||, ||z||)
  double dual_tolerance = 1e-4;    // relative: rho ||z - z_prev|| <= tol * rho ||u||
  std::optional<float> min, max;   // bounds imposed on z
  std::size_t checkpoint_every = 5;
  // x0 = z0: zeros, or the filtered backprojection (ram-lak) of the slab: an iterate with the
  // noise of FBP, which is what a denoiser trained on FBP images expects at its first call.
  bool start_from_fbp = false;
};

// One instance of each role per rank: ranks run at the same time on their own threads.
struct AdmmRoles {
  std::vector<std::unique_ptr<TomoSolver>> tomo;
  std::vector<std::unique_ptr<Prior>> prior;  // empty: no prior (z-step is the bounds alone)
};

struct AdmmOutcome {
  ArrayF volume;  // z, the whole volume in host memory (every process holds it)
  std::size_t iterations = 0;  // the last completed iteration
  bool converged = false;      // stopped because both residuals fell below their tolerances
  bool resumed = false;
};

// Runs the ADMM iterations on every device's slab of `projections`. `truth` (host, the volume's
// shape), when given, adds RMSE and SSIM to every record. Checkpoints every
// settings.checkpoint_every iterations and resumes from them (context.checkpoints()).
AdmmOutcome run_admm(const Projections& projections, const tomo::Geometry& geometry, const ArrayF* truth,
                     const AdmmSettings& settings, AdmmRoles& roles, admm::Report& report, Context& context);

}  // namespace xrecon::tomo_plugin
