// ptycho.cg_solver as a host uses it: created by name through Context::make<PtychoSolver> (the
// engine's StageContext and registry), then solve_local() (joint.admm's psi-step, one scan on one
// rank) and solve() on a simulated far-field scan. The ptycho cost of the scan falls, the
// configured iteration count is the role's own `iterations`, and with a proximal term of huge
// weight psi stays at its centre v.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include <xrecon/ptycho/ptycho.hpp>
#include <xrecon/sim/ptycho_sim.hpp>

#include "support/role_context.hpp"

namespace xrecon {
namespace {

using testing::RoleContext;

PtychoScan simulated_scan() {
  const sim::PtychoSimulation s = sim::simulate_ptycho(
      {.object = {.size = 48}, .probe_size = 16, .fwhm = 6.0, .step = 4.0});
  PtychoScan scan;
  scan.patterns = s.patterns;
  scan.positions = s.positions;
  scan.probe = s.probe;
  scan.object_rows = s.object.extent(0);
  scan.object_cols = s.object.extent(1);
  return scan;
}

double cost(const PtychoScan& scan, const ArrayCF& psi, const ArrayCF& probe) {
  return ptycho::cost(scan.patterns, ptycho::farfield(psi, probe, scan.positions), ptycho::Likelihood::gaussian);
}

ArrayCF free_space(const PtychoScan& scan) {
  ArrayCF psi(Shape{scan.object_rows, scan.object_cols});
  for (auto& v : psi.host_span()) v = {1.0f, 0.0f};
  return psi;
}

double relative_difference(const ArrayCF& a, const ArrayCF& b) {
  double diff = 0, size = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff += std::norm(a[i] - b[i]), size += std::norm(b[i]);
  return std::sqrt(diff / size);
}

TEST(PtychoRoles, CgSolverLowersThePtychoCost) {
  RoleContext roles("ptycho");
  const std::unique_ptr<PtychoSolver> cg = roles.make<PtychoSolver>("ptycho.cg_solver", {{"iterations", std::int64_t{5}}});
  const PtychoScan scan = simulated_scan();
  ArrayCF psi = free_space(scan), probe = scan.probe.clone();
  const double start = cost(scan, psi, probe);

  cg->solve_local(0, scan, psi, probe, 5, std::nullopt, roles.context());
  const double after_five = cost(scan, psi, probe);
  cg->solve_local(0, scan, psi, probe, 25, std::nullopt, roles.context());  // warm-started from there
  const double after_thirty = cost(scan, psi, probe);
  std::printf("ptycho.cg_solver: cost %.4g -> %.4g (5 iterations) -> %.4g (30)\n", start, after_five, after_thirty);
  EXPECT_LT(after_five, 0.5 * start);  // measured 87.6 -> 16.3 -> 0.15
  EXPECT_LT(after_thirty, 0.5 * after_five);

  // An empty psi starts from free space, an empty probe from the scan's; kConfigured is the
  // role's own count (5 here): the same as 5 iterations from free space.
  ArrayCF empty_psi, empty_probe, five = free_space(scan), five_probe = scan.probe.clone();
  cg->solve_local(0, scan, empty_psi, empty_probe, PtychoSolver::kConfigured, std::nullopt, roles.context());
  cg->solve_local(0, scan, five, five_probe, 5, std::nullopt, roles.context());
  EXPECT_EQ(relative_difference(empty_psi, five), 0.0);

  // solve(), the form that splits the positions over the context's devices, lowers it too.
  ArrayCF whole = free_space(scan), whole_probe = scan.probe.clone();
  cg->solve(scan, whole, whole_probe, 5, std::nullopt, roles.context());
  EXPECT_LT(cost(scan, whole, whole_probe), 0.5 * start);
}

TEST(PtychoRoles, CgSolverWithAHugeProximalWeightStaysAtTheCentre) {
  RoleContext roles("ptycho");
  const std::unique_ptr<PtychoSolver> cg = roles.make<PtychoSolver>("ptycho.cg_solver");
  const PtychoScan scan = simulated_scan();
  // A centre that fits the data poorly: free space with a phase ramp.
  ArrayCF v = free_space(scan);
  for (std::size_t r = 0; r < scan.object_rows; ++r)
    for (std::size_t c = 0; c < scan.object_cols; ++c) v[r * scan.object_cols + c] = std::polar(0.9f, 0.05f * float(c));
  ArrayCF psi = v.clone(), probe = scan.probe.clone();
  cg->solve_local(0, scan, psi, probe, 10, PtychoSolver::Proximal{1e9, &v}, roles.context());
  EXPECT_LT(relative_difference(psi, v), 1e-4);

  // A moderate weight lets the data move it, towards a lower cost.
  ArrayCF free = v.clone(), free_probe = scan.probe.clone();
  cg->solve_local(0, scan, free, free_probe, 10, PtychoSolver::Proximal{1e-3, &v}, roles.context());
  EXPECT_GT(relative_difference(free, v), 1e-2);
  EXPECT_LT(cost(scan, free, free_probe), cost(scan, v, scan.probe));
}

}  // namespace
}  // namespace xrecon
