// CGLS: the residual falls every iteration, a small consistent problem is solved exactly, the
// Shepp-Logan phantom comes back to a known error, the proximal term pulls towards v, a volume
// split across ranks with summed scalars gives the one-rank result, and bad input is refused.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <thread>

#include "tomo_test_support.hpp"
#include "xrecon/engine/thread_communicator.hpp"
#include "xrecon/sim/phantom.hpp"
#include "xrecon/tomo/cgls.hpp"
#include "xrecon/tomo/projector.hpp"

namespace xrecon::tomo {
namespace {

struct Problem {
  Geometry geometry;
  ArrayF truth;        // (slices, n, n)
  ArrayF projections;  // (angles, slices, cols)
};

// Consistent data: the projector's own projections of a random image, on a detector wide
// enough that every pixel is seen from every angle, so the least-squares solution is the truth.
Problem tiny_problem(std::size_t n = 8, std::size_t slices = 1) {
  Problem p;
  // Measured in the astra convention (axis at the slice's centre); the tomopy one converges
  // more slowly on this tiny grid (1.3e-4 after 70 iterations).
  p.geometry = {.angles = fixtures::uniform_angles(30), .cols = n + n / 2 + 1, .n = n, .convention = CentreConvention::astra};
  p.truth = fixtures::random_array(Shape{slices, n, n}, 5);
  p.projections = project(p.truth, p.geometry);
  return p;
}

Problem shepp_logan_problem(std::size_t n, std::size_t angles, std::size_t slices = 1) {
  Problem p;
  p.geometry = {.angles = fixtures::uniform_angles(angles), .cols = n, .n = n};
  const ArrayF slice = sim::rasterize(sim::shepp_logan_2d(), n, 3);
  p.truth = ArrayF(Shape{slices, n, n});
  for (std::size_t z = 0; z < slices; ++z)
    for (std::size_t i = 0; i < n * n; ++i) p.truth[z * n * n + i] = slice[i] * (1.0f + 0.1f * float(z));
  p.projections = project(p.truth, p.geometry);
  return p;
}

// ||b - A x||, computed afresh rather than taken from the solver's recurrence.
double true_residual(const Problem& p, const ArrayF& x) {
  const ArrayF ax = project(x, p.geometry);
  double squared = 0;
  for (std::size_t i = 0; i < ax.size(); ++i) squared += std::pow(double(p.projections[i]) - double(ax[i]), 2);
  return std::sqrt(squared);
}

// ||A^T W (b - A x) - rho (x - v)|| relative to its terms' size: 0 at the minimiser of
// ||W^(1/2) (b - A x)||^2 + rho ||x - v||^2 (W = 1 when `weights` is null).
double normal_equations_error(const Problem& p, const ArrayF& x, const ArrayF* weights, double rho, const ArrayF& v) {
  ArrayF r = project(x, p.geometry);
  for (std::size_t i = 0; i < r.size(); ++i) r[i] = (weights ? (*weights)[i] : 1.0f) * (p.projections[i] - r[i]);
  const ArrayF atwr = backproject(r, p.geometry);
  double gradient = 0, scale = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    gradient += std::pow(double(atwr[i]) - rho * (double(x[i]) - double(v[i])), 2);
    scale += std::pow(double(atwr[i]), 2) + std::pow(rho * double(x[i]), 2);
  }
  return std::sqrt(gradient / scale);
}

TEST(Cgls, ResidualNeverRisesAndTheNormalResidualFalls) {
  const Problem p = shepp_logan_problem(48, 40);
  ArrayF x = ArrayF::zeros(p.truth.shape());
  std::vector<CglsIteration> seen;
  const CglsResult result = cgls(p.projections, p.geometry, x,
                                 {.iterations = 40, .on_iteration = [&](const CglsIteration& it) { seen.push_back(it); }});
  ASSERT_EQ(seen.size(), 40u);
  EXPECT_EQ(result.iterations, 40u);
  EXPECT_NEAR(result.initial_residual_norm, fixtures::norm(p.projections), 1e-9 * result.initial_residual_norm);
  // CGLS minimises ||b - A x|| over a growing Krylov space, so the residual cannot rise (float
  // rounding aside); ||A^T r|| is not minimised and may wobble, but falls overall.
  EXPECT_LE(seen[0].residual_norm, result.initial_residual_norm);
  for (std::size_t i = 1; i < seen.size(); ++i)
    EXPECT_LE(seen[i].residual_norm, seen[i - 1].residual_norm * (1 + 1e-6)) << "iteration " << i + 1;
  EXPECT_LT(seen.back().residual_norm, 0.01 * result.initial_residual_norm);
  EXPECT_LT(seen.back().normal_residual_norm, 1e-3 * seen.front().normal_residual_norm);
  EXPECT_EQ(seen.back().iteration, 40u);
  EXPECT_EQ(seen.back().iterations, 40u);
  // The recurrence tracks the real residual.
  EXPECT_NEAR(true_residual(p, x), result.residual_norm, 1e-3 * result.residual_norm + 1e-3);
}

// 64 unknowns: conjugate gradients end in at most 64 steps in exact arithmetic; in float it
// takes a few more. Measured after 70 iterations: relative error 4.2e-7, residual 6.2e-8 of ||b||.
TEST(Cgls, SolvesASmallConsistentProblem) {
  const Problem p = tiny_problem();
  ArrayF x = ArrayF::zeros(p.truth.shape());
  cgls(p.projections, p.geometry, x, {.iterations = 70});
  EXPECT_LT(fixtures::relative_l2(x, p.truth), 1e-5);
  EXPECT_LT(true_residual(p, x), 1e-6 * fixtures::norm(p.projections));
}

TEST(Cgls, WarmStartFromTheSolutionStaysThere) {
  const Problem p = tiny_problem();
  ArrayF x = p.truth.clone();
  const CglsResult result = cgls(p.projections, p.geometry, x, {.iterations = 5});
  EXPECT_LT(result.initial_residual_norm, 1e-5 * fixtures::norm(p.projections));
  EXPECT_LT(fixtures::relative_l2(x, p.truth), 1e-5);
}

TEST(Cgls, ZeroIterationsLeavesTheStartVolume) {
  const Problem p = tiny_problem();
  ArrayF x = fixtures::random_array(p.truth.shape(), 9);
  const ArrayF before = x.clone();
  const CglsResult result = cgls(p.projections, p.geometry, x, {.iterations = 0});
  EXPECT_EQ(result.iterations, 0u);
  for (std::size_t i = 0; i < x.size(); ++i) ASSERT_EQ(x[i], before[i]);
}

TEST(Cgls, ObserverCanStopTheRun) {
  const Problem p = tiny_problem();
  ArrayF x = ArrayF::zeros(p.truth.shape());
  std::size_t seen = 0;
  const auto stop_after_three = [&](const CglsIteration& it) {
    seen = it.iteration;
    if (it.iteration == 3) throw Cancelled("stop");
  };
  EXPECT_THROW(cgls(p.projections, p.geometry, x, {.iterations = 50, .on_iteration = stop_after_three}), Cancelled);
  EXPECT_EQ(seen, 3u);
}

// Shepp-Logan 256^2 from 180 exact line integrals (not the projector's own data). RMSE inside
// the head (r < 0.95), measured: 0.0905 after 5 iterations, 0.0359 after 10, 0.0265 after 15 (the
// best), 0.0298 after 20, 0.0438 after 50: CGLS fits the discretisation error of the data once
// the image is in, so the iteration count is the regulariser.
TEST(Cgls, SheppLogan256From180Angles) {
  const std::size_t n = 256;
  const auto phantom = sim::shepp_logan_2d();
  const ArrayF truth = sim::rasterize(phantom, n, 5);
  const Geometry geometry{.angles = fixtures::uniform_angles(180), .cols = n, .n = n};
  const ArrayF sinogram = fixtures::analytic_sinogram(phantom, geometry);
  ArrayF x = ArrayF::zeros(Shape{1, n, n});
  cgls(sinogram, geometry, x, {.iterations = 15});
  const double rmse = fixtures::rmse_in_disc(x, truth, n, 0.95);
  std::printf("CGLS Shepp-Logan 256^2, 180 angles, 15 iterations: RMSE %.4f\n", rmse);
  EXPECT_LT(rmse, 0.029);
}

// Converged after about 25 iterations; run far past that, where float rounding has worn away the
// conjugacy, to show the iterate stays at the minimum. Measured relative gradient: 3.0e-7.
TEST(Cgls, ProximalTermSolvesTheRegularisedNormalEquations) {
  const Problem p = shepp_logan_problem(32, 30);
  const ArrayF v = fixtures::random_array(p.truth.shape(), 11);
  const double rho = 50.0;
  ArrayF x = ArrayF::zeros(p.truth.shape());
  cgls(p.projections, p.geometry, x, {.iterations = 150, .proximal = CglsProximal{rho, v}});
  // The minimiser of ||b - A x||^2 + rho ||x - v||^2 has A^T (b - A x) = rho (x - v).
  EXPECT_LT(normal_equations_error(p, x, nullptr, rho, v), 1e-4);
}

TEST(Cgls, WeightsSolveTheWeightedNormalEquations) {
  // The minimiser of ||W^(1/2) (b - A x)||^2 + rho ||x - v||^2 has A^T W (b - A x) = rho (x - v).
  const Problem p = shepp_logan_problem(32, 30);
  const ArrayF v = fixtures::random_array(p.truth.shape(), 13);
  ArrayF w = fixtures::random_array(p.projections.shape(), 14);
  for (float& value : w.host_span()) value = 0.2f + std::abs(value);
  const double rho = 5.0;
  ArrayF x = ArrayF::zeros(p.truth.shape());
  cgls(p.projections, p.geometry, x, {.iterations = 200, .proximal = CglsProximal{rho, v}, .weights = w});
  EXPECT_LT(normal_equations_error(p, x, &w, rho, v), 1e-4);
}

TEST(Cgls, ZeroWeightsDropThoseRays) {
  // Weight 0 on the second half of the angles equals CGLS on the first half alone.
  const Problem p = shepp_logan_problem(32, 30);
  const std::size_t kept = 15, plane = p.projections.extent(1) * p.projections.extent(2);
  ArrayF w(p.projections.shape());
  for (std::size_t i = 0; i < w.size(); ++i) w[i] = i < kept * plane ? 1.0f : 0.0f;
  Geometry half = p.geometry;
  half.angles.resize(kept);
  ArrayF b_half(Shape{kept, p.projections.extent(1), p.projections.extent(2)});
  std::copy_n(p.projections.data(), b_half.size(), b_half.data());
  ArrayF weighted = ArrayF::zeros(p.truth.shape()), plain = ArrayF::zeros(p.truth.shape());
  cgls(p.projections, p.geometry, weighted, {.iterations = 10, .weights = w});
  cgls(b_half, half, plain, {.iterations = 10});
  EXPECT_LT(fixtures::relative_l2(weighted, plain), 1e-5);
}

TEST(Cgls, NegativeWeightsAreRefused) {
  const Problem p = tiny_problem();
  ArrayF w(p.projections.shape());
  for (float& value : w.host_span()) value = 1.0f;
  w[3] = -1.0f;
  ArrayF x = ArrayF::zeros(p.truth.shape());
  EXPECT_THROW(cgls(p.projections, p.geometry, x, {.iterations = 2, .weights = w}), InputError);
}

TEST(Cgls, LargeRhoPinsTheResultToV) {
  const Problem p = shepp_logan_problem(32, 30);
  const ArrayF v = fixtures::random_array(p.truth.shape(), 12);
  ArrayF x = ArrayF::zeros(p.truth.shape());
  cgls(p.projections, p.geometry, x, {.iterations = 10, .proximal = CglsProximal{1e7, v}});
  EXPECT_LT(fixtures::relative_l2(x, v), 1e-4);
}

TEST(Cgls, ZeroRhoIsPlainCgls) {
  const Problem p = shepp_logan_problem(32, 30);
  ArrayF plain = ArrayF::zeros(p.truth.shape());
  cgls(p.projections, p.geometry, plain, {.iterations = 12});
  ArrayF with_zero_rho = ArrayF::zeros(p.truth.shape());
  cgls(p.projections, p.geometry, with_zero_rho,
       {.iterations = 12, .proximal = CglsProximal{0.0, fixtures::random_array(p.truth.shape(), 13)}});
  for (std::size_t i = 0; i < plain.size(); ++i) ASSERT_EQ(with_zero_rho[i], plain[i]) << "voxel " << i;
}

// The slices of (angles, slices, cols) projections z0 .. z1, and of (slices, n, n) volumes.
ArrayF projection_rows(const ArrayF& p, std::size_t z0, std::size_t z1) {
  const std::size_t angles = p.extent(0), rows = p.extent(1), cols = p.extent(2);
  ArrayF out(Shape{angles, z1 - z0, cols});
  for (std::size_t k = 0; k < angles; ++k)
    std::copy_n(p.data() + (k * rows + z0) * cols, (z1 - z0) * cols, out.data() + k * (z1 - z0) * cols);
  return out;
}

ArrayF volume_slices(const ArrayF& v, std::size_t z0, std::size_t z1) {
  const std::size_t plane = v.extent(1) * v.extent(2);
  ArrayF out(Shape{z1 - z0, v.extent(1), v.extent(2)});
  std::copy_n(v.data() + z0 * plane, (z1 - z0) * plane, out.data());
  return out;
}

// Ranks holding slabs of one volume, their scalars summed by the threads communicator, take the
// steps of one rank holding it all. With more ranks than slices some slabs are empty.
TEST(Cgls, SplitVolumeWithSummedScalarsEqualsTheWholeVolume) {
  const Problem p = shepp_logan_problem(24, 20, 5);
  const ArrayF v = fixtures::random_array(p.truth.shape(), 14);
  const auto options_for = [&](const ArrayF& slab_v) {
    return CglsOptions{.iterations = 15, .proximal = CglsProximal{0.5, slab_v}};
  };
  ArrayF whole = ArrayF::zeros(p.truth.shape());
  const CglsResult expected = cgls(p.projections, p.geometry, whole, options_for(v));

  for (int ranks : {2, 3, 7}) {
    engine::ThreadCommunicator communicator(ranks);
    const std::size_t slices = p.truth.extent(0);
    ArrayF joined(p.truth.shape());
    std::vector<CglsResult> results(std::size_t(ranks), CglsResult{});
    std::vector<std::thread> threads;
    for (int rank = 0; rank < ranks; ++rank)
      threads.emplace_back([&, rank] {
        const std::size_t z0 = slices * std::size_t(rank) / std::size_t(ranks);
        const std::size_t z1 = slices * std::size_t(rank + 1) / std::size_t(ranks);
        ArrayF x = ArrayF::zeros(Shape{z1 - z0, p.geometry.n, p.geometry.n});
        CglsOptions options = options_for(volume_slices(v, z0, z1));
        options.all_reduce = [&](std::span<double> values) { communicator.allreduce_sum(rank, values); };
        results[std::size_t(rank)] = cgls(projection_rows(p.projections, z0, z1), p.geometry, x, options);
        std::copy_n(x.data(), x.size(), joined.data() + z0 * p.geometry.n * p.geometry.n);
      });
    for (std::thread& t : threads) t.join();
    EXPECT_LT(fixtures::relative_max(joined, whole), 1e-5) << ranks << " ranks";
    for (const CglsResult& r : results) {
      EXPECT_EQ(r.iterations, expected.iterations);
      EXPECT_NEAR(r.residual_norm, expected.residual_norm, 1e-6 * expected.residual_norm);
    }
  }
}

TEST(Cgls, BadInputIsAnInputError) {
  Problem p = tiny_problem(8, 2);
  ArrayF x = ArrayF::zeros(p.truth.shape());
  ArrayF one_slice = ArrayF::zeros(Shape{1, 8, 8});
  fixtures::expect_input_error([&] { cgls(p.projections, p.geometry, one_slice); },
                     "the CGLS start volume has 1 slices but the projections (30x2x13) have 2 rows");
  ArrayF wrong_width = ArrayF::zeros(Shape{2, 8, 9});
  fixtures::expect_input_error([&] { cgls(p.projections, p.geometry, wrong_width); }, "must have shape (slices, 8, 8)");
  fixtures::expect_input_error([&] { cgls(p.projections, p.geometry, x, {.proximal = CglsProximal{1.0, one_slice}}); },
                     "proximal centre v has shape (1x8x8) but the volume has (2x8x8)");
  fixtures::expect_input_error([&] { cgls(p.projections, p.geometry, x, {.proximal = CglsProximal{-1.0, x.clone()}}); },
                     "rho must be finite and >= 0");

  Geometry fewer_angles = p.geometry;
  fewer_angles.angles.pop_back();
  fixtures::expect_input_error([&] { cgls(p.projections, fewer_angles, x); }, "projections have 30 angles but the geometry lists 29");
  Geometry off_detector = p.geometry;
  off_detector.center = 20;
  fixtures::expect_input_error([&] { cgls(p.projections, off_detector, x); }, "the center of rotation 20.000000 lies outside");

  ArrayF nan_v = x.clone();
  nan_v[70] = std::numeric_limits<float>::quiet_NaN();
  fixtures::expect_input_error([&] { cgls(p.projections, p.geometry, x, {.proximal = CglsProximal{1.0, nan_v}}); },
                     "proximal centre v contains NaN at slice 1, row 0, col 6");
  fixtures::expect_input_error([&] { cgls(p.projections, p.geometry, nan_v); }, "start volume contains NaN at slice 1");
  p.projections[(4 * 2 + 1) * 13 + 7] = std::numeric_limits<float>::infinity();
  fixtures::expect_input_error([&] { cgls(p.projections, p.geometry, x); },
                     "projections contain an infinite value at angle 4, row 1, col 7");
}

}  // namespace
}  // namespace xrecon::tomo
