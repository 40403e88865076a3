// Tomography on GPU 0 at the scale of ALGORITHMS.md's anchor: 2048^2 slices, 1500 angles
// (TomoPy's accelerated SIRT on a V100: 0.4 s per iteration). Projector and backprojectors in
// interpolations per second (angles * n^2 per slice), SIRT in seconds per iteration for one slice
// and for a batch, FBP in slices per second for a batch. Times are GPU times between CUDA events on
// the default stream, host work inside the calls included (input checks, tables, allocations).
//
// bandwidth_fraction: the compulsory memory traffic (every array a step reads or writes, once)
// per second over the device's peak. The projectors re-read their inputs from the caches n times
// over, so a small fraction there says that they are bound by the caches and arithmetic, not by
// memory; the array operations of SIRT are memory bound and should come close to 1.
#include <benchmark/benchmark.h>
#include <cuda_runtime_api.h>

#include <cstddef>
#include <numbers>
#include <string>

#include "gpu_bench.hpp"
#include "xrecon/linalg/array_ops.hpp"
#include "xrecon/tomo/fbp.hpp"
#include "xrecon/tomo/projector.hpp"
#include "xrecon/tomo/sirt.hpp"

namespace {

using namespace xrecon;

constexpr std::size_t kSize = 2048;
constexpr std::size_t kAngles = 1500;
constexpr std::size_t kFbpSlices = 32;
const MemorySpace kGpu = MemorySpace::cuda(0);

using bench::EventTimer;
using bench::skipped_without_gpu;

double peak_bandwidth() { return bench::gpu_peaks().bandwidth; }

tomo::Geometry geometry() {
  tomo::Geometry g{.cols = kSize, .n = kSize};
  for (std::size_t k = 0; k < kAngles; ++k) g.angles.push_back(std::numbers::pi * double(k) / double(kAngles));
  return g;
}

// Timing does not depend on the values; a constant avoids a slow host fill of gigabytes.
ArrayF filled_on_gpu(Shape shape, float value) {
  ArrayF a(shape, kGpu);
  linalg::fill(a, value);
  return a;
}

double volume_bytes(std::size_t slices) { return double(slices * kSize * kSize * sizeof(float)); }
double projection_bytes(std::size_t slices) { return double(kAngles * slices * kSize * sizeof(float)); }

void report(benchmark::State& state, const char* work_name, double work_per_iteration, double bytes_per_iteration) {
  state.counters[work_name] = benchmark::Counter(work_per_iteration, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["bandwidth_fraction"] =
      benchmark::Counter(bytes_per_iteration / peak_bandwidth(), benchmark::Counter::kIsIterationInvariantRate);
}

constexpr double kInterpolationsPerSlice = double(kAngles) * double(kSize) * double(kSize);

void BM_ProjectGpu(benchmark::State& state) {
  if (skipped_without_gpu(state)) return;
  const tomo::Geometry g = geometry();
  const ArrayF volume = filled_on_gpu(Shape{1, kSize, kSize}, 1.0f);
  tomo::project(volume, g);  // first use: module loading, memory pool growth
  EventTimer timer;
  for (auto _ : state) {
    timer.start();
    const ArrayF projections = tomo::project(volume, g);
    state.SetIterationTime(timer.stop());
  }
  report(state, "interpolations", kInterpolationsPerSlice, volume_bytes(1) + projection_bytes(1));
}

template <bool PixelDriven>
void BM_BackprojectGpu(benchmark::State& state) {
  if (skipped_without_gpu(state)) return;
  const tomo::Geometry g = geometry();
  const ArrayF projections = filled_on_gpu(Shape{kAngles, 1, kSize}, 1.0f);
  tomo::backproject(projections, g);  // first use: module loading, memory pool growth
  EventTimer timer;
  for (auto _ : state) {
    timer.start();
    const ArrayF volume = PixelDriven ? tomo::backproject_pixel_driven(projections, g) : tomo::backproject(projections, g);
    state.SetIterationTime(timer.stop());
  }
  report(state, "interpolations", kInterpolationsPerSlice, volume_bytes(1) + projection_bytes(1));
}

// state.range(0): slices. Each run does 3 iterations and times the last 2, leaving out the
// weights SIRT computes before its first iteration.
void BM_SirtIterationGpu(benchmark::State& state) {
  if (skipped_without_gpu(state)) return;
  const auto slices = static_cast<std::size_t>(state.range(0));
  const tomo::Geometry g = geometry();
  const ArrayF b = filled_on_gpu(Shape{kAngles, slices, kSize}, 1.0f);
  ArrayF x = filled_on_gpu(Shape{slices, kSize, kSize}, 0.0f);
  EventTimer timer;
  for (auto _ : state) {
    double seconds = 0;
    tomo::sirt(b, g, x, {.iterations = 3, .min = 0.0, .on_iteration = [&](const tomo::SirtIteration& it) {
                           if (it.iteration == 1) timer.start();
                           if (it.iteration == 3) seconds = timer.stop() / 2;
                         }});
    state.SetIterationTime(seconds);
  }
  // The array passes of one iteration (sirt.cpp), in volumes: input check 1, project reads 1,
  // backproject writes 1, weighted_axpy 4, clamp 2; in projections: project writes 1, xpay 3,
  // squared_norm 1, multiply 3, input check 1, backproject reads 1.
  report(state, "interpolations", 2 * kInterpolationsPerSlice * double(slices),
         9 * volume_bytes(slices) + 10 * projection_bytes(slices));
  state.counters["slices"] = double(slices);
}

void BM_FbpGpu(benchmark::State& state) {
  if (skipped_without_gpu(state)) return;
  const tomo::Geometry g = geometry();
  const ArrayF projections = filled_on_gpu(Shape{kAngles, kFbpSlices, kSize}, 1.0f);
  tomo::fbp(projections, g);  // first use: cuFFT plans, memory pool growth
  EventTimer timer;
  for (auto _ : state) {
    timer.start();
    const ArrayF volume = tomo::fbp(projections, g);
    state.SetIterationTime(timer.stop());
  }
  report(state, "slices", double(kFbpSlices), projection_bytes(kFbpSlices) + volume_bytes(kFbpSlices));
}

BENCHMARK(BM_ProjectGpu)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BackprojectGpu<false>)->Name("BM_BackprojectGpu")->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BackprojectGpu<true>)->Name("BM_BackprojectPixelDrivenGpu")->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SirtIterationGpu)->Arg(1)->Arg(16)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FbpGpu)->UseManualTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
