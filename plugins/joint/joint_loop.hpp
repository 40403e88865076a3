#pragma once
// The iterations of joint.admm (joint ptycho-tomography by ADMM with a prior in the loop; see
// docs/joint-admm.md): every rank holds its angles for the psi-step and its slices for the
// u-step, and the projections change hands between them through the communicator.
#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

#include <xrecon/admm/penalty.hpp>
#include <xrecon/admm/report.hpp>
#include <xrecon/context.hpp>
#include <xrecon/payload.hpp>
#include <xrecon/roles.hpp>

namespace xrecon::joint_plugin {

struct JointSettings {
  std::size_t iterations = 20;
  double rho = 1;  // psi-level penalty, relative to the largest illumination sum |P|^2 of a scan
  double tau = 1;  // u-level penalty, relative to max(A^T A 1) of the projector
  admm::BalancingOptions balancing;
  std::optional<float> min;  // lower bound on delta and beta (0: no negative refractive decrement)
  std::size_t checkpoint_every = 5;
  // false: half-quadratic splitting at the u-level (z = prior(d), no dual w), for priors that are
  // not proximal maps (a network): ADMM's dual sums d - z, which such a prior never drives to 0,
  // and the sum grows until the loop diverges.
  bool prior_dual = true;
  bool circle = false;
  bool weighted = true;  // the u-step weighs each ray by |t|^2 (joint::ray_weights)  // delta and beta zero outside the circle inscribed in a slice (the field of view)
};

// One instance of each role per rank (ranks run at once).
struct JointRoles {
  std::vector<std::unique_ptr<PtychoSolver>> ptycho;
  std::vector<std::unique_ptr<TomoSolver>> tomo;
  std::vector<std::unique_ptr<Prior>> prior;  // empty: no prior
};

// The scans, one per angle in the order received, on the projection grid (rows, cols).
struct JointInput {
  std::vector<std::shared_ptr<const PtychoScan>> scans;
  std::size_t rows = 0, cols = 0;
  double phase_per_unit = 0;  // nu * voxel: radians of phase per unit of delta per voxel crossed
  const ArrayF* truth_delta = nullptr;  // host, (rows, cols, cols), for RMSE / SSIM per iteration
  const ArrayF* truth_beta = nullptr;
};

struct JointOutcome {
  ArrayF delta, beta;  // z of the u-level, (rows, cols, cols), physical units
  ArrayCF psi;         // (angles, rows, cols)
  ArrayCF probes;      // (angles, h, w)
  std::size_t iterations = 0;
  bool resumed = false;
};

JointOutcome run_joint_admm(const JointInput& input, const JointSettings& settings, JointRoles& roles,
                            admm::Report& report, Context& context);

// max over object pixels of sum_j |P(r - r_j)|^2 (bilinear footprints ignored: nearest pixel),
// the curvature scale of a scan's data term in psi.
double illumination_scale(const PtychoScan& scan);

}  // namespace xrecon::joint_plugin
