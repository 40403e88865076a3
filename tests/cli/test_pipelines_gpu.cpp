// The shipped pipelines on a GPU against the same pipelines on the CPU, as a user runs them
// (label gpu): the stages move their slabs / bands to the device, run there and bring the result
// back. Also two ranks on one GPU (the oversubscribed threads backend) against one rank. Every
// test skips, with the reason, on a machine without a GPU.
#include <gtest/gtest.h>

#include <iostream>

#include "command.hpp"
#include "output_difference.hpp"
#include "support/gpu.hpp"

namespace {

struct GpuCase {
  std::string name, config, settings, devices, baseline_devices;
  double tolerance;
};

void PrintTo(const GpuCase& c, std::ostream* out) { *out << c.config << " on " << c.devices; }

class PipelinesOnGpu : public testing::TestWithParam<GpuCase> {};

TEST_P(PipelinesOnGpu, MatchTheBaselineDevices) {
  XRECON_REQUIRE_GPU();
  const GpuCase& c = GetParam();
  TempDir dir;
  const auto run = [&](const std::string& devices, const std::string& output) {
    return run_command("cd " XRECON_SOURCE_DIR " && " +
                       xrecon_command("run configs/" + c.config + ".yaml --set save.path=" + output +
                                      " --set save.preview=false --devices " + devices + " " + c.settings));
  };
  const auto baseline = run(c.baseline_devices, dir / "baseline.h5");
  ASSERT_EQ(baseline.exit_code, 0) << baseline.output;
  const auto gpu = run(c.devices, dir / "gpu.h5");
  ASSERT_EQ(gpu.exit_code, 0) << gpu.output;
  const double worst = largest_difference(dir / "baseline.h5", dir / "gpu.h5");
  std::cout << c.config << " on " << c.devices << " vs " << c.baseline_devices << ": largest difference " << worst
            << "\n";
  EXPECT_LT(worst, c.tolerance);
}

// Tolerances: the CPU and GPU paths share their element math but not their order of summation
// (FFTW vs cuFFT, OpenMP vs warp reductions), float round-off of ~1e-6 relative per operation.
// SIRT and FBP stay within 1e-4 of values near 1; the CG solvers carry round-off into their step
// lengths, so after 10-15 iterations they are allowed 1e-3 (attenuation / radians).
const std::string kTomo = " --set phantom.slices=3 --set phantom.size=128";
const std::string kPtycho = " --set recon.iterations=15 --set recon.noise=gaussian";

INSTANTIATE_TEST_SUITE_P(
    Configs, PipelinesOnGpu,
    testing::Values(GpuCase{"sirt", "tomo_sirt", kTomo + " --set recon.iterations=30", "cuda:0", "cpu", 1e-4},
                    GpuCase{"fbp", "tomo_fbp", kTomo, "cuda:0", "cpu", 1e-4},
                    GpuCase{"cgls", "tomo_cgls", kTomo + " --set recon.iterations=10", "cuda:0", "cpu", 1e-3},
                    // Ptychographic CG parts faster (cuFFT and FFTW differ in every transform of
                    // every iteration, see tests/ptycho/test_ptycho_gpu.cpp): measured on an H200
                    // (2026-12-04) 0.0117 rad after 15 iterations, for phases in [-0.33, 0.92] rad.
                    // Bound 5e-2 rad: a kernel error moves the phase by far more.
                    GpuCase{"ptycho", "ptycho_cg", kPtycho, "cuda:0", "cpu", 5e-2},
                    // 720 projections, a refresh of 2 iterations every 16: 90 iterations in all.
                    GpuCase{"streaming", "streaming_sirt",
                            " --set phantom.size=128 --set recon.report=/tmp/xrecon_gpu_streaming_test.jsonl",
                            "cuda:0", "cpu", 1e-3},
                    // tomo.admm keeps x, z, u and the projections on the device; TV runs there too.
                    // 8 ADMM iterations of 4 CGLS steps: the CG allowance.
                    GpuCase{"admm_tv", "tomo_admm_tv", kTomo + " --set recon.iterations=8 --set recon.report=/tmp/xrecon_gpu_admm.jsonl",
                            "cuda:0", "cpu", 1e-3},
                    GpuCase{"admm_tomogan", "tomo_admm_tomogan",
                            kTomo + " --set recon.iterations=6 --set recon.report=/tmp/xrecon_gpu_admm_gan.jsonl",
                            "cuda:0", "cpu", 1e-3},
                    // Two ranks sharing the GPU: slabs / position bands, host-staged sums.
                    GpuCase{"sirt_two_ranks", "tomo_sirt", kTomo + " --set recon.iterations=30", "cuda:0,0",
                            "cuda:0", 1e-6},
                    GpuCase{"ptycho_two_ranks", "ptycho_cg", kPtycho, "cuda:0,0", "cuda:0", 1e-4},
                    // The halo exchange between two ranks' device slabs (3-D TV reads its neighbours).
                    GpuCase{"admm_two_ranks", "tomo_admm_tv", kTomo + " --set recon.iterations=6", "cuda:0,0",
                            "cuda:0", 1e-4}),
    [](const testing::TestParamInfo<GpuCase>& info) { return info.param.name; });

}  // namespace
