#pragma once
// What bench_streaming (CPU) and bench_streaming_gpu time: one refresh of the sliding-window SIRT
// (tomo::StreamingSirt) per benchmark iteration, S = W new projections followed by I SIRT
// iterations on the last W, so the counters read like the TomoGAN streaming talk's table
// (ALGORITHMS.md): refresh time, and the sustained rate W / refresh time that a detector faster
// than the reconstruction would see. Each refresh also recomputes SIRT's weights for its window
// (A 1 and A^T 1), the cost of one more iteration, which the interpolation count includes; on a
// GPU it also copies its window of projections from the host, where they arrive.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

#include "xrecon/sim/acquisition.hpp"
#include "xrecon/sim/phantom.hpp"
#include "xrecon/tomo/streaming_sirt.hpp"

namespace xrecon::bench {

constexpr std::size_t kStreamAnglesPerRotation = 512;

// The projections of one interleaved rotation of `rows` Shepp-Logan slices of size^2, fed round
// and round (made once per size and row count).
struct StreamRotation {
  std::vector<double> angles;
  ArrayF projections;  // (angles, rows, size)
};

inline const StreamRotation& stream_rotation(std::size_t size, std::size_t rows) {
  static std::map<std::pair<std::size_t, std::size_t>, StreamRotation> made;
  auto [it, fresh] = made.try_emplace({size, rows});
  if (fresh) {
    it->second.angles = sim::acquisition_angles(kStreamAnglesPerRotation, 1, sim::AngleOrder::interleaved);
    const ArrayF slice = sim::rasterize(sim::shepp_logan_2d(), size, 1);
    ArrayF volume(Shape{rows, size, size});
    for (std::size_t r = 0; r < rows; ++r)
      std::copy(slice.data(), slice.data() + slice.size(), volume.data() + r * slice.size());
    it->second.projections = tomo::project(volume, {.angles = it->second.angles, .cols = size, .n = size});
  }
  return it->second;
}

// state.range(0): window W (= step S); state.range(1): iterations I per refresh. The image lives
// in `space`.
inline void time_streaming_refresh(benchmark::State& state, std::size_t size, std::size_t rows, MemorySpace space) {
  const std::size_t window = std::size_t(state.range(0)), iterations = std::size_t(state.range(1));
  tomo::StreamingSirtOptions options;
  options.window = options.step = window;
  options.sirt.iterations = iterations;
  tomo::Geometry detector;
  detector.cols = detector.n = size;
  tomo::StreamingSirt stream(detector, rows, options, space);
  const StreamRotation& r = stream_rotation(size, rows);
  std::size_t next = 0;
  const auto add_one = [&] {
    const std::size_t k = next++ % kStreamAnglesPerRotation;
    return stream.add(r.projections.data() + k * rows * size, r.angles[k]);
  };
  while (!add_one()) {}  // a full window and a first refresh before timing
  for (auto _ : state)
    while (!add_one()) {}
  state.counters["W"] = double(window);
  state.counters["I"] = double(iterations);
  state.counters["refresh_s"] =
      benchmark::Counter(1.0, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  state.counters["projections_per_s"] = benchmark::Counter(double(window), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["interpolations_per_s"] =
      benchmark::Counter(2.0 * double(iterations + 1) * double(window * rows * size * size),
                         benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace xrecon::bench
