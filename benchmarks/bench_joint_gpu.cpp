// joint.admm per iteration on cuda:0 at Nikitin's demo scale (128^3 object, 192 angles, 64^2
// detector, 16 px probe; admm_bench.hpp). Skips without a GPU. The whole loop runs on the device:
// the psi-step, the linearised log and H(u), the exchange buffers and the tomography slabs.
#include "admm_bench.hpp"

namespace {

using namespace xrecon::bench;

void BM_JointTvGpu(benchmark::State& state) {
  const std::string command = std::string(XRECON_EXE) + " devices 2>/dev/null | grep -q 'cuda:0'";
  if (std::system(command.c_str()) != 0) return state.SkipWithError("no CUDA device");
  run_joint(state, "cuda:0", 128, 128, 192, 64, kAdmmTv);
}

}  // namespace

BENCHMARK(BM_JointTvGpu)->Arg(4)->UseManualTime()->Iterations(1)->Unit(benchmark::kSecond);

BENCHMARK_MAIN();
