// joint.admm per iteration on the CPU at the default size of configs/joint_ptycho_tomo.yaml
// (64^2 x 32 slices, 48 angles, 16 px probe; admm_bench.hpp): the psi-step, the u-step (with the
// angle <-> slice exchange), the prior and the rest. Run with OMP_NUM_THREADS=2 for the figures in
// benchmarks/results. Absolute times count only from a GPU.
#include "admm_bench.hpp"

namespace {

using namespace xrecon::bench;

void BM_JointTvCpu(benchmark::State& state) { run_joint(state, "cpu", 64, 32, 48, 16, kAdmmTv); }

}  // namespace

BENCHMARK(BM_JointTvCpu)->Arg(6)->UseManualTime()->Iterations(1)->Unit(benchmark::kSecond);

BENCHMARK_MAIN();
