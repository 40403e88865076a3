// Streaming sliding-window SIRT on the CPU at 256^2 x 1 slice (streaming_bench.hpp says what one
// benchmark iteration is).
#include "streaming_bench.hpp"

namespace {

void BM_StreamingSirtRefresh(benchmark::State& state) {
  xrecon::bench::time_streaming_refresh(state, 256, 1, xrecon::MemorySpace::host());
}

BENCHMARK(BM_StreamingSirtRefresh)
    ->ArgsProduct({{16, 32, 64, 128, 256}, {1, 5, 10}})
    ->ArgNames({"W", "I"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
