// Tomography operators at 512^2 x 360 angles: the optimised OpenMP kernels (on 1 thread and on
// all threads) next to the plain double-precision reference, in interpolations per second
// (one interpolation = one pixel visited by one angle, angles * n^2 per call), and FBP in slices
// per second.
#include <benchmark/benchmark.h>
#include <omp.h>

#include <cmath>
#include <numbers>
#include <random>

#include "xrecon/tomo/fbp.hpp"
#include "xrecon/tomo/projector.hpp"
#include "xrecon/tomo/reference.hpp"

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

BENCHMARK(BM_Project)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Backproject)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_BackprojectPixelDriven)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ProjectReference)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_BackprojectReference)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_Fbp)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
