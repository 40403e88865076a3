// tomo.admm per iteration on the CPU at 512^2 x 180 angles x 8 slices (admm_bench.hpp); run with
// OMP_NUM_THREADS=2 for the figures in benchmarks/results. Absolute times count only from a GPU.
#include "admm_bench.hpp"

namespace {

using namespace xrecon::bench;

void BM_AdmmTvCpu(benchmark::State& state) { run_admm(state, "cpu", 512, 180, kAdmmTv); }
void BM_AdmmTomoganCpu(benchmark::State& state) { run_admm(state, "cpu", 512, 180, kAdmmTomogan); }

}  // namespace

// The argument is the number of ADMM iterations per run (the first is not timed).
BENCHMARK(BM_AdmmTvCpu)->Arg(4)->UseManualTime()->Iterations(1)->Unit(benchmark::kSecond);
BENCHMARK(BM_AdmmTomoganCpu)->Arg(4)->UseManualTime()->Iterations(1)->Unit(benchmark::kSecond);

BENCHMARK_MAIN();
