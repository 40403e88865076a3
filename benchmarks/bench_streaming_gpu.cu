// Streaming sliding-window SIRT on GPU 0 at 2048^2 x 8 slices, a detector's worth of rows at the
// tomography benchmarks' width (streaming_bench.hpp says what one benchmark iteration is). Wall
// time: a refresh ends with host work (the window's copy, SIRT's convergence sums) and the stream
// waits for it; skips without a GPU.
#include "gpu_bench.hpp"
#include "streaming_bench.hpp"

namespace {

void BM_StreamingSirtRefreshGpu(benchmark::State& state) {
  if (xrecon::bench::skipped_without_gpu(state)) return;
  xrecon::bench::time_streaming_refresh(state, 2048, 8, xrecon::MemorySpace::cuda(0));
}

BENCHMARK(BM_StreamingSirtRefreshGpu)
    ->ArgsProduct({{16, 64, 256}, {1, 5}})
    ->ArgNames({"W", "I"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
