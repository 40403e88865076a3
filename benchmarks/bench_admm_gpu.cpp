// tomo.admm per iteration on cuda:0 at 2048^2 x 1500 angles x 8 slices (admm_bench.hpp): every
// array of the loop in device memory, CGLS and TV there too. Skips without a GPU.
#include "admm_bench.hpp"

namespace {

using namespace xrecon::bench;

bool has_gpu() {
  const std::string command = std::string(XRECON_EXE) + " devices 2>/dev/null | grep -q 'cuda:0'";
  return std::system(command.c_str()) == 0;
}

void BM_AdmmTvGpu(benchmark::State& state) {
  if (!has_gpu()) return state.SkipWithError("no CUDA device");
  run_admm(state, "cuda:0", 2048, 1500, kAdmmTv);
}
void BM_AdmmTomoganGpu(benchmark::State& state) {
  if (!has_gpu()) return state.SkipWithError("no CUDA device");
  run_admm(state, "cuda:0", 2048, 1500, kAdmmTomogan);
}

}  // namespace

BENCHMARK(BM_AdmmTvGpu)->Arg(6)->UseManualTime()->Iterations(1)->Unit(benchmark::kSecond);
BENCHMARK(BM_AdmmTomoganGpu)->Arg(6)->UseManualTime()->Iterations(1)->Unit(benchmark::kSecond);

BENCHMARK_MAIN();
