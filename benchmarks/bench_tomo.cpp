// Tomography operators at 512^2 x 360 angles: the optimised OpenMP kernels (on 1 thread and on
// all threads) next to the plain double-precision reference, in interpolations per second
// (one interpolation = one pixel visited by one angle, angles * n^2 per call), and FBP in slices
// per second; SIRT in iterations per second on one slice. Each optimised figure has the plain
// double-precision single-thread reference beside it in the same run, so ratios are honest.
#include <benchmark/benchmark.h>
#include <omp.h>

#include <cmath>
#include <numbers>
#include <random>

#include "xrecon/tomo/fbp.hpp"
#include "xrecon/tomo/projector.hpp"
#include "xrecon/tomo/reference.hpp"
#include "xrecon/tomo/sirt.hpp"

namespace {

using namespace xrecon;

constexpr std::size_t kSize = 512;
constexpr std::size_t kAngles = 360;

tomo::Geometry geometry() {
  tomo::Geometry g{.cols = kSize, .n = kSize};
  for (std::size_t k = 0; k < kAngles; ++k) g.angles.push_back(std::numbers::pi * double(k) / double(kAngles));
  return g;
}

ArrayF random_array(Shape shape) {
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> dist(0.0f, 1.0f);
  ArrayF a(shape);
  for (float& v : a.host_span()) v = dist(rng);
  return a;
}

void count_interpolations(benchmark::State& state) {
  state.counters["interpolations"] =
      benchmark::Counter(double(kAngles * kSize * kSize), benchmark::Counter::kIsIterationInvariantRate);
}

// state.range(0): OpenMP threads, 0 for all of them.
int use_threads(benchmark::State& state) {
  const int threads = state.range(0) == 0 ? omp_get_num_procs() : int(state.range(0));
  omp_set_num_threads(threads);
  state.counters["threads"] = threads;
  return threads;
}

void BM_Project(benchmark::State& state) {
  use_threads(state);
  const tomo::Geometry g = geometry();
  const ArrayF volume = random_array(Shape{1, kSize, kSize});
  for (auto _ : state) benchmark::DoNotOptimize(tomo::project(volume, g).data());
  count_interpolations(state);
}

void BM_Backproject(benchmark::State& state) {
  use_threads(state);
  const tomo::Geometry g = geometry();
  const ArrayF sinogram = random_array(Shape{kAngles, 1, kSize});
  for (auto _ : state) benchmark::DoNotOptimize(tomo::backproject(sinogram, g).data());
  count_interpolations(state);
}

void BM_BackprojectPixelDriven(benchmark::State& state) {
  use_threads(state);
  const tomo::Geometry g = geometry();
  const ArrayF sinogram = random_array(Shape{kAngles, 1, kSize});
  for (auto _ : state) benchmark::DoNotOptimize(tomo::backproject_pixel_driven(sinogram, g).data());
  count_interpolations(state);
}

void BM_ProjectReference(benchmark::State& state) {
  const tomo::Geometry g = geometry();
  const ArrayF volume = random_array(Shape{1, kSize, kSize});
  for (auto _ : state) benchmark::DoNotOptimize(tomo::reference::project(volume, g).data());
  count_interpolations(state);
}

void BM_BackprojectReference(benchmark::State& state) {
  const tomo::Geometry g = geometry();
  const ArrayF sinogram = random_array(Shape{kAngles, 1, kSize});
  for (auto _ : state) benchmark::DoNotOptimize(tomo::reference::backproject(sinogram, g).data());
  count_interpolations(state);
}

void BM_Fbp(benchmark::State& state) {
  use_threads(state);
  const tomo::Geometry g = geometry();
  const ArrayF sinogram = random_array(Shape{kAngles, 1, kSize});
  for (auto _ : state) benchmark::DoNotOptimize(tomo::fbp(sinogram, g).data());
  state.counters["slices"] = benchmark::Counter(1.0, benchmark::Counter::kIsIterationInvariantRate);
}

ArrayF to_float(const ArrayD& a) {
  ArrayF f(a.shape());
  for (std::size_t i = 0; i < a.size(); ++i) f[i] = float(a[i]);
  return f;
}

void BM_FbpReference(benchmark::State& state) {
  const tomo::Geometry g = geometry();
  const ArrayF sinogram = random_array(Shape{kAngles, 1, kSize});
  for (auto _ : state) {
    const ArrayF filtered = to_float(tomo::reference::filter_projections(sinogram, tomo::FilterWindow::ram_lak));
    benchmark::DoNotOptimize(tomo::reference::backproject_pixel_driven(filtered, g).data());
  }
  state.counters["slices"] = benchmark::Counter(1.0, benchmark::Counter::kIsIterationInvariantRate);
}

// Ten SIRT iterations per run (plus the weights, about one more iteration of work).
constexpr int kSirtIterations = 10;

void BM_Sirt(benchmark::State& state) {
  use_threads(state);
  const tomo::Geometry g = geometry();
  const ArrayF sinogram = tomo::project(random_array(Shape{1, kSize, kSize}), g);
  for (auto _ : state) {
    ArrayF x = ArrayF::zeros(Shape{1, kSize, kSize});
    tomo::sirt(sinogram, g, x, {.iterations = kSirtIterations});
    benchmark::DoNotOptimize(x.data());
  }
  state.counters["sirt_iterations"] =
      benchmark::Counter(double(kSirtIterations), benchmark::Counter::kIsIterationInvariantRate);
}

// One SIRT iteration's operator work in the reference: a projection and a backprojection.
void BM_SirtIterationReference(benchmark::State& state) {
  const tomo::Geometry g = geometry();
  const ArrayF volume = random_array(Shape{1, kSize, kSize});
  for (auto _ : state) {
    const ArrayF residual = to_float(tomo::reference::project(volume, g));
    benchmark::DoNotOptimize(tomo::reference::backproject(residual, g).data());
  }
  state.counters["sirt_iterations"] = benchmark::Counter(1.0, benchmark::Counter::kIsIterationInvariantRate);
}

BENCHMARK(BM_Project)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Backproject)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_BackprojectPixelDriven)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ProjectReference)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_BackprojectReference)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_Fbp)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_FbpReference)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_Sirt)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_SirtIterationReference)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
