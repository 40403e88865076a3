// Streaming sliding-window SIRT (tomo::StreamingSirt) at 256^2 x 1 slice: one benchmark iteration
// is one refresh, S = W new projections followed by I SIRT iterations on the last W, so the
// counters read like the TomoGAN streaming talk's table (ALGORITHMS.md): refresh time, and the
// sustained rate W / refresh time that a detector faster than the reconstruction would see.
// Each refresh also recomputes SIRT's weights for its window (A 1 and A^T 1), the cost of one
// more iteration, which the interpolation count includes.
#include <benchmark/benchmark.h>

#include "xrecon/sim/acquisition.hpp"
#include "xrecon/sim/phantom.hpp"
#include "xrecon/tomo/streaming_sirt.hpp"

namespace {

using namespace xrecon;

constexpr std::size_t kSize = 256;
constexpr std::size_t kAnglesPerRotation = 512;

// The projections of one interleaved rotation of the Shepp-Logan slice, fed round and round.
struct Rotation {
  std::vector<double> angles = sim::acquisition_angles(kAnglesPerRotation, 1, sim::AngleOrder::interleaved);
  ArrayF projections = tomo::project(sim::rasterize(sim::shepp_logan_2d(), kSize, 1).reshaped({1, kSize, kSize}),
                                     {.angles = angles, .cols = kSize, .n = kSize});
};

const Rotation& rotation() {
  static const Rotation r;
  return r;
}

// state.range(0): window W (= step S); state.range(1): iterations I per refresh.
void BM_StreamingSirtRefresh(benchmark::State& state) {
  const std::size_t window = std::size_t(state.range(0)), iterations = std::size_t(state.range(1));
  tomo::StreamingSirtOptions options;
  options.window = options.step = window;
  options.sirt.iterations = iterations;
  tomo::Geometry detector;
  detector.cols = detector.n = kSize;
  tomo::StreamingSirt stream(detector, 1, options);
  const Rotation& r = rotation();
  std::size_t next = 0;
  const auto add_one = [&] {
    const std::size_t k = next++ % kAnglesPerRotation;
    return stream.add(r.projections.data() + k * kSize, r.angles[k]);
  };
  while (!add_one()) {}  // a full window and a first refresh before timing
  for (auto _ : state)
    while (!add_one()) {}
  state.counters["W"] = double(window);
  state.counters["I"] = double(iterations);
  state.counters["refresh_s"] =
      benchmark::Counter(1.0, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  state.counters["projections_per_s"] = benchmark::Counter(double(window), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["interpolations_per_s"] = benchmark::Counter(
      2.0 * double(iterations + 1) * double(window * kSize * kSize), benchmark::Counter::kIsIterationInvariantRate);
}

BENCHMARK(BM_StreamingSirtRefresh)
    ->ArgsProduct({{16, 32, 64, 128, 256}, {1, 5, 10}})
    ->ArgNames({"W", "I"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
