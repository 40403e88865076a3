// The CG solver on simulated scans: a noiseless phantom comes back to a measured error, the cost
// never rises, Poisson-noisy data converge under the Poisson likelihood, the proximal term pulls
// psi to v, the amplitude constraint holds, and recovering the probe beats keeping a wrong one.
#include <gtest/gtest.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdio>
#include <cstring>
#include <random>
#include <span>
#include <thread>
#include <vector>

#include "ptycho_test_support.hpp"
#include "xrecon/engine/thread_communicator.hpp"
#include "xrecon/error.hpp"
#include "xrecon/ptycho/ptycho.hpp"
#include "xrecon/sim/noise.hpp"
#include "xrecon/sim/phantom.hpp"

namespace xrecon::ptycho {
namespace {

constexpr std::size_t kObject = 64, kProbe = 16;

// Amplitude 1 - 0.5 s and phase s radians from the Shepp-Logan slice s in [0, 1].
ArrayCF phantom_object() {
  const ArrayF s = sim::rasterize(sim::shepp_logan_2d(), kObject, 3);
  ArrayCF object(Shape{kObject, kObject});
  for (std::size_t i = 0; i < object.size(); ++i) object[i] = std::polar(1.0f - 0.5f * s[i], s[i]);
  return object;
}

ArrayCF flat_object() {
  ArrayCF object(Shape{kObject, kObject});
  for (auto& v : object.host_span()) v = {1.0f, 0.0f};
  return object;
}

struct Simulation {
  ArrayCF truth = phantom_object();
  ArrayCF probe = fixtures::gaussian_probe(kProbe, 4.0, 2.0);
  ArrayD positions = fixtures::raster_positions(kObject, kProbe, 4.0, 0.45, 31);  // 13 x 13 windows
  ArrayF patterns = fixtures::intensities(farfield(truth, probe, positions));
};

// ||c x - truth|| / ||truth|| over the well-lit interior [8, 56)^2, minimised over the global phase
// factor |c| = 1 that far-field data cannot see.
double error_without_global_phase(const ArrayCF& x, const ArrayCF& truth) {
  std::complex<double> overlap = 0;
  double x_squared = 0, truth_squared = 0;
  for (std::size_t r = 8; r < kObject - 8; ++r)
    for (std::size_t c = 8; c < kObject - 8; ++c) {
      const std::complex<double> a = x[r * kObject + c], b = truth[r * kObject + c];
      overlap += std::conj(a) * b;
      x_squared += std::norm(a);
      truth_squared += std::norm(b);
    }
  return std::sqrt(std::max(0.0, x_squared + truth_squared - 2 * std::abs(overlap)) / truth_squared);
}

void expect_never_rises(const std::vector<double>& costs) {
  for (std::size_t k = 1; k < costs.size(); ++k) EXPECT_LE(costs[k], costs[k - 1]) << "iteration " << k + 1;
}

TEST(PtychoCg, NoiselessPhantomIsRecovered) {
  const Simulation s;
  ArrayCF object = flat_object(), probe = s.probe.clone();
  std::size_t reported = 0;
  const CgResult result = reconstruct(s.patterns, s.positions, object, probe,
                                      {.iterations = 150, .on_iteration = [&](const CgIteration& it) {
                                         EXPECT_EQ(it.iteration, ++reported);
                                       }});
  ASSERT_EQ(result.costs.size(), 150u);
  expect_never_rises(result.costs);
  const double error = error_without_global_phase(object, s.truth);
  std::printf("noiseless phantom: cost %.3g -> %.3g, error %.4f\n", result.costs.front(), result.costs.back(), error);
  EXPECT_LT(error, 0.01);  // measured 0.0036 (cost 343 -> 0.073)
}

TEST(PtychoCg, PoissonNoisyDataConverge) {
  const Simulation s;
  std::mt19937_64 rng(41);
  ArrayF counts(s.patterns.shape());
  // About 150 photons in the brightest pixel, a few in most: strongly noisy data.
  for (std::size_t i = 0; i < counts.size(); ++i) counts[i] = float(sim::poisson_sample(double(s.patterns[i]), rng));
  ArrayCF object = flat_object(), probe = s.probe.clone();
  const CgResult result = reconstruct(counts, s.positions, object, probe,
                                      {.iterations = 100, .likelihood = Likelihood::poisson});
  expect_never_rises(result.costs);
  const double error = error_without_global_phase(object, s.truth);
  std::printf("poisson phantom: cost %.6g -> %.6g, error %.4f\n", result.costs.front(), result.costs.back(), error);
  EXPECT_LT(result.costs.back(), result.costs.front());
  EXPECT_LT(error, 0.25);  // measured 0.175
}

TEST(PtychoCg, LargeRhoPullsTowardsV) {
  const Simulation s;
  const ArrayCF v = fixtures::random_complex(Shape{kObject, kObject}, 51);
  ArrayCF object = flat_object(), probe = s.probe.clone();
  CgOptions options{.iterations = 20};
  options.proximal = CgOptions::Proximal{1e4, &v};
  reconstruct(s.patterns, s.positions, object, probe, options);
  double difference = 0, norm = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    difference += std::norm(std::complex<double>(object[i]) - std::complex<double>(v[i]));
    norm += std::norm(std::complex<double>(v[i]));
  }
  std::printf("proximal rho 1e4: ||psi - v|| / ||v|| = %.3g\n", std::sqrt(difference / norm));
  EXPECT_LT(std::sqrt(difference / norm), 3e-3);  // measured 6.5e-4
}

TEST(PtychoCg, AmplitudeConstraintHolds) {
  const Simulation s;
  ArrayCF object = flat_object(), probe = s.probe.clone();
  CgOptions options{.iterations = 10};
  options.max_amplitude = 0.9;
  reconstruct(s.patterns, s.positions, object, probe, options);
  for (std::size_t i = 0; i < object.size(); ++i) ASSERT_LE(std::abs(object[i]), 0.9f * (1 + 1e-6f)) << "at " << i;
}

TEST(PtychoCg, RecoveringTheProbeBeatsAWrongFixedProbe) {
  const Simulation s;
  const ArrayCF wrong = fixtures::gaussian_probe(kProbe, 3.0, 2.0);
  ArrayCF fixed_object = flat_object(), fixed_probe = wrong.clone();
  const CgResult fixed = reconstruct(s.patterns, s.positions, fixed_object, fixed_probe, {.iterations = 60});
  ArrayCF object = flat_object(), probe = wrong.clone();
  const CgResult recovered =
      reconstruct(s.patterns, s.positions, object, probe, {.iterations = 60, .recover_probe = true});
  expect_never_rises(recovered.costs);
  std::printf("wrong probe: fixed cost %.4g, recovered cost %.4g\n", fixed.costs.back(), recovered.costs.back());
  EXPECT_LT(recovered.costs.back(), 0.1 * fixed.costs.back());  // measured 3.0-4.0 (summation order) against 880
}

// The CPU loops hand out fixed chunks dynamically and sum in a fixed order (ptycho/parallel.hpp),
// so the thread count must not change a single bit of the object, the probe or the costs. The
// scan is large enough (169 windows of 32^2) for every loop to run in parallel.
TEST(PtychoCg, ThreadCountDoesNotChangeTheBits) {
  constexpr std::size_t object_n = 128, probe_n = 32;
  ArrayCF truth(Shape{object_n, object_n});
  const ArrayF s = sim::rasterize(sim::shepp_logan_2d(), object_n, 3);
  for (std::size_t i = 0; i < truth.size(); ++i) truth[i] = std::polar(1.0f - 0.5f * s[i], s[i]);
  const ArrayCF true_probe = fixtures::gaussian_probe(probe_n, 8.0, 2.0);
  const ArrayD positions = fixtures::raster_positions(object_n, probe_n, 8.0, 0.45, 7);
  const ArrayF patterns = fixtures::intensities(farfield(truth, true_probe, positions));
  ASSERT_EQ(positions.extent(0), 169u);

  struct Run {
    ArrayCF object, probe;
    std::vector<double> costs;
  };
  const auto run_on = [&](int threads) {
    const int saved = omp_get_max_threads();
    omp_set_num_threads(threads);
    Run r{ArrayCF(Shape{object_n, object_n}), fixtures::gaussian_probe(probe_n, 7.0, 2.0), {}};
    for (auto& v : r.object.host_span()) v = {1.0f, 0.0f};
    r.costs = reconstruct(patterns, positions, r.object, r.probe,
                          {.iterations = 8, .likelihood = Likelihood::poisson, .recover_probe = true})
                  .costs;
    omp_set_num_threads(saved);
    return r;
  };
  const Run one = run_on(1);
  for (const int threads : {2, 3}) {
    const Run other = run_on(threads);
    EXPECT_EQ(other.costs, one.costs) << threads << " threads";
    EXPECT_EQ(std::memcmp(other.object.data(), one.object.data(), one.object.size() * sizeof(one.object[0])), 0)
        << threads << " threads";
    EXPECT_EQ(std::memcmp(other.probe.data(), one.probe.data(), one.probe.size() * sizeof(one.probe[0])), 0)
        << threads << " threads";
  }
  EXPECT_LT(one.costs.back(), one.costs.front());
}

// The positions split into spatial tiles (consecutive raster rows) across ranks that each hold
// the whole object and probe: with the gradients and line-search costs summed over the ranks,
// every rank takes the one-rank steps, up to float summation order.
TEST(PtychoCg, PositionsSplitAcrossRanksGiveTheOneRankResult) {
  const Simulation s;
  const CgOptions base{.iterations = 15, .recover_probe = true};
  ArrayCF whole_object = flat_object(), whole_probe = s.probe.clone();
  const CgResult whole = reconstruct(s.patterns, s.positions, whole_object, whole_probe, base);

  constexpr int kRanks = 3;
  engine::ThreadCommunicator communicator(kRanks);
  const std::size_t count = s.positions.extent(0), frame = kProbe * kProbe;
  std::vector<ArrayCF> objects(kRanks);
  std::vector<CgResult> results(kRanks);
  std::vector<std::thread> threads;
  for (int rank = 0; rank < kRanks; ++rank)
    threads.emplace_back([&, rank] {
      const std::size_t first = count * std::size_t(rank) / kRanks, last = count * std::size_t(rank + 1) / kRanks;
      ArrayD positions(Shape{last - first, 2});
      ArrayF patterns(Shape{last - first, kProbe, kProbe});
      std::copy_n(s.positions.data() + 2 * first, positions.size(), positions.data());
      std::copy_n(s.patterns.data() + frame * first, patterns.size(), patterns.data());
      const auto sum_array = [&, rank](std::span<double> values) { communicator.allreduce_sum(rank, values); };
      CgOptions options = base;
      options.all_reduce_scalars = [&, rank](std::span<double> values) { communicator.allreduce_sum(rank, values); };
      options.all_reduce_object_gradient = sum_array;
      options.all_reduce_probe_gradient = sum_array;
      objects[std::size_t(rank)] = flat_object();
      ArrayCF probe = s.probe.clone();
      results[std::size_t(rank)] = reconstruct(patterns, positions, objects[std::size_t(rank)], probe, options);
    });
  for (std::thread& t : threads) t.join();
  for (int rank = 0; rank < kRanks; ++rank) {
    ASSERT_EQ(results[std::size_t(rank)].costs.size(), whole.costs.size());
    EXPECT_NEAR(results[std::size_t(rank)].costs.back(), whole.costs.back(), 1e-3 * whole.costs.back());
    double difference = 0;
    for (std::size_t i = 0; i < whole_object.size(); ++i)
      difference = std::max(difference, double(std::abs(objects[std::size_t(rank)][i] - whole_object[i])));
    EXPECT_LT(difference, 1e-3) << "rank " << rank;
  }
}

// The object and probe of `ranks` ranks that each hold one band of consecutive positions, their
// gradients and line-search costs summed through a thread communicator; rank 0's result.
struct SplitResult {
  ArrayCF object, probe;
  CgResult result;
};

SplitResult reconstruct_split(const ArrayF& patterns, const ArrayD& all_positions, const ArrayCF& probe0,
                              const CgOptions& base, int ranks) {
  engine::ThreadCommunicator communicator(ranks);
  const std::size_t count = all_positions.extent(0), frame = patterns.extent(1) * patterns.extent(2);
  std::vector<SplitResult> results(static_cast<std::size_t>(ranks));
  std::vector<std::thread> threads;
  for (int rank = 0; rank < ranks; ++rank)
    threads.emplace_back([&, rank] {
      const std::size_t first = count * std::size_t(rank) / std::size_t(ranks);
      const std::size_t last = count * std::size_t(rank + 1) / std::size_t(ranks);
      ArrayD positions(Shape{last - first, 2});
      ArrayF mine(Shape{last - first, patterns.extent(1), patterns.extent(2)});
      std::copy_n(all_positions.data() + 2 * first, positions.size(), positions.data());
      std::copy_n(patterns.data() + frame * first, mine.size(), mine.data());
      const auto sum = [&, rank](std::span<double> values) { communicator.allreduce_sum(rank, values); };
      CgOptions options = base;
      if (ranks > 1) {
        options.all_reduce_scalars = sum;
        options.all_reduce_object_gradient = sum;
        options.all_reduce_probe_gradient = sum;
      }
      SplitResult& r = results[std::size_t(rank)];
      r.object = flat_object();
      r.probe = probe0.clone();
      r.result = reconstruct(mine, positions, r.object, r.probe, options);
    });
  for (std::thread& t : threads) t.join();
  return results[0];
}

double relative_difference(const ArrayCF& a, const ArrayCF& b) {
  double difference = 0, norm = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    difference += std::norm(std::complex<double>(a[i]) - std::complex<double>(b[i]));
    norm += std::norm(std::complex<double>(b[i]));
  }
  return std::sqrt(difference / norm);
}

// Gradients summed in double over the ranks and rounded once make the float gradient, and so the
// whole trajectory, independent of the split, also for the Poisson likelihood on bright counts
// (cost about -1e9), whose line search follows float summation order when the partial gradients
// are summed in float.
TEST(PtychoCg, SplitsIntoOneTwoFourBandsGiveTheSameObject) {
  const Simulation s;
  std::mt19937_64 rng(43);
  ArrayF counts(s.patterns.shape());
  // About 1.5e6 photons in the brightest pixel, as at a synchrotron.
  for (std::size_t i = 0; i < counts.size(); ++i)
    counts[i] = float(sim::poisson_sample(1e4 * double(s.patterns[i]), rng));
  const ArrayCF bright_probe = [&] {
    ArrayCF p = s.probe.clone();
    for (auto& v : p.host_span()) v *= 100.0f;
    return p;
  }();
  for (const Likelihood likelihood : {Likelihood::gaussian, Likelihood::poisson}) {
    const CgOptions options{.iterations = 20, .likelihood = likelihood, .recover_probe = true};
    const SplitResult one = reconstruct_split(counts, s.positions, bright_probe, options, 1);
    for (const int ranks : {2, 4}) {
      const SplitResult split = reconstruct_split(counts, s.positions, bright_probe, options, ranks);
      const double object_difference = relative_difference(split.object, one.object);
      const double probe_difference = relative_difference(split.probe, one.probe);
      std::printf("%s, %d ranks vs 1: object %.3g, probe %.3g relative; cost %.10g vs %.10g\n",
                  likelihood == Likelihood::gaussian ? "gaussian" : "poisson", ranks, object_difference,
                  probe_difference, split.result.costs.back(), one.result.costs.back());
      EXPECT_LT(object_difference, 1e-5) << ranks << " ranks";
      EXPECT_LT(probe_difference, 1e-5) << ranks << " ranks";
    }
  }
}

TEST(PtychoCg, ObserverMayCancel) {
  const Simulation s;
  ArrayCF object = flat_object(), probe = s.probe.clone();
  CgOptions options{.iterations = 10, .on_iteration = [](const CgIteration& it) {
                      if (it.iteration == 3) throw Cancelled("stop");
                    }};
  EXPECT_THROW(reconstruct(s.patterns, s.positions, object, probe, options), Cancelled);
}

}  // namespace
}  // namespace xrecon::ptycho
