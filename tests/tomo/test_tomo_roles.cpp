// tomo.cgls_solver as a host uses it: created by name through Context::make<TomoSolver> (the
// engine's StageContext and registry), then solve() and the collective slab form solve_slab() on
// a simulated scan of the Shepp-Logan head. Both lower ||A x - b|| from ||b|| by far, the slab form
// over two ranks lands where solve() does and returns the residual of the whole volume, the
// configured iteration count is the role's own `iterations`, and a huge proximal weight keeps x at v.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <thread>

#include <xrecon/sim/phantom.hpp>
#include <xrecon/tomo/projector.hpp>

#include "support/role_context.hpp"

namespace xrecon {
namespace {

using testing::RoleContext;

constexpr std::size_t kSlices = 4, kN = 48, kAngles = 60;

tomo::Geometry geometry() {
  tomo::Geometry g{.cols = kN, .n = kN};
  for (std::size_t k = 0; k < kAngles; ++k) g.angles.push_back(double(k) * M_PI / double(kAngles));
  return g;
}

Projections scan() {
  Projections b;
  b.data = tomo::project(sim::rasterize(sim::shepp_logan_3d(), kSlices, kN, kN), geometry());
  b.angles = geometry().angles;
  return b;
}

double norm(const ArrayF& a) {
  double sum = 0;
  for (float v : a.host_span()) sum += double(v) * v;
  return std::sqrt(sum);
}

// ||A x - b||
double residual(const ArrayF& x, const Projections& b) {
  ArrayF r = tomo::project(x, geometry());
  for (std::size_t i = 0; i < r.size(); ++i) r[i] -= b.data[i];
  return norm(r);
}

// Rows [first, first + count) of b: one rank's slab.
Projections rows_of(const Projections& b, std::size_t first, std::size_t count) {
  Projections slab;
  slab.angles = b.angles;
  slab.data = ArrayF::zeros(Shape{kAngles, count, kN});
  for (std::size_t a = 0; a < kAngles; ++a)
    for (std::size_t r = 0; r < count; ++r)
      for (std::size_t c = 0; c < kN; ++c) slab.data[(a * count + r) * kN + c] = b.data[(a * kSlices + first + r) * kN + c];
  return slab;
}

double relative_difference(const ArrayF& a, const ArrayF& b) {
  double diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff += std::pow(double(a[i]) - b[i], 2);
  return std::sqrt(diff) / norm(b);
}

TEST(TomoRoles, CglsSolverLowersTheResidual) {
  RoleContext roles("tomo");
  const std::unique_ptr<TomoSolver> cgls = roles.make<TomoSolver>("tomo.cgls_solver", {{"iterations", std::int64_t{3}}});
  const Projections b = scan();
  const double start = norm(b.data);

  Volume x;  // empty: zeros as wide as the detector
  cgls->solve(b, x, 2, std::nullopt, roles.context());
  const double after_two = residual(x.data, b);
  cgls->solve(b, x, 18, std::nullopt, roles.context());  // warm-started from there
  const double after_twenty = residual(x.data, b);
  std::printf("tomo.cgls_solver: ||Ax - b|| %.3g -> %.3g (2 iterations) -> %.3g (20)\n", start, after_two, after_twenty);
  EXPECT_LT(after_two, 0.5 * start);  // measured 596 -> 102 -> 1.83
  EXPECT_LT(after_twenty, 0.5 * after_two);
  EXPECT_LT(after_twenty, 0.02 * start);

  // kConfigured: the count the pipeline file gave the role (3 here).
  Volume configured, three;
  cgls->solve(b, configured, TomoSolver::kConfigured, std::nullopt, roles.context());
  cgls->solve(b, three, 3, std::nullopt, roles.context());
  EXPECT_EQ(relative_difference(configured.data, three.data), 0.0);

  // A huge pull towards v keeps x at v.
  Volume v;
  v.data = x.data.clone();
  for (float& value : v.data.host_span()) value = 0.5f * value + 0.1f;
  Volume pulled;
  pulled.data = ArrayF::zeros(x.data.shape());
  cgls->solve(b, pulled, 5, TomoSolver::Proximal{1e8, &v}, roles.context());
  EXPECT_LT(relative_difference(pulled.data, v.data), 1e-4);
}

TEST(TomoRoles, CglsSolverSlabsOverTwoRanksMatchTheWholeVolume) {
  RoleContext roles("tomo", 2);
  const Projections b = scan();
  Volume whole;
  roles.make<TomoSolver>("tomo.cgls_solver")->solve(b, whole, 8, std::nullopt, roles.context());

  // Each rank its own instance, its slab of detector rows and its slices; one thread per rank.
  const std::size_t split = 3;  // uneven on purpose
  std::unique_ptr<TomoSolver> solvers[2] = {roles.make<TomoSolver>("tomo.cgls_solver"),
                                            roles.make<TomoSolver>("tomo.cgls_solver")};
  const Projections slabs[2] = {rows_of(b, 0, split), rows_of(b, split, kSlices - split)};
  Volume x[2];
  std::optional<double> reported[2];
  std::thread ranks[2];
  for (int rank = 0; rank < 2; ++rank) {
    x[rank].data = ArrayF::zeros(Shape{slabs[rank].num_rows(), kN, kN});
    ranks[rank] = std::thread([&, rank] {
      reported[rank] = solvers[rank]->solve_slab(rank, slabs[rank], x[rank], 8, std::nullopt, roles.context());
    });
  }
  for (std::thread& t : ranks) t.join();

  ArrayF joined = ArrayF::zeros(whole.data.shape());
  std::copy_n(x[0].data.data(), x[0].data.size(), joined.data());
  std::copy_n(x[1].data.data(), x[1].data.size(), joined.data() + x[0].data.size());
  EXPECT_LT(relative_difference(joined, whole.data), 1e-4);
  const double actual = residual(joined, b);
  for (int rank = 0; rank < 2; ++rank) {
    ASSERT_TRUE(reported[rank].has_value()) << rank;
    EXPECT_NEAR(*reported[rank], actual, 1e-3 * actual) << "rank " << rank << " reports the whole volume's residual";
  }
  EXPECT_LT(actual, 0.05 * norm(b.data));
}

}  // namespace
}  // namespace xrecon
