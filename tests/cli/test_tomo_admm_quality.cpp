// The claim tomo.admm exists for, measured on the data of configs/tomo_admm_*.yaml (a low-dose,
// sparse-angle scan of a held-out foam), in SSIM against the phantom: ADMM with the learned prior
// in the loop (models/tomogan-foam-admm.h5) beats SIRT at its best iteration count, FBP, and ADMM
// with TV; ADMM with TV beats SIRT. The pipelines are the shipped configs, run as a user runs
// them, next to FBP and SIRT on the same simulated scan.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iostream>

#include "central_slices.hpp"
#include "command.hpp"

namespace {

// The scan of the configs (the same phantom, angles, photons and seed) reconstructed by FBP and by
// SIRT at several iteration counts, each written to `dir`, with the phantom.
std::string baselines_pipeline(const TempDir& dir, const std::vector<int>& sirt_iterations) {
  const std::string path = dir / "baselines.yaml";
  std::ofstream out(path);
  out << "version: 1\nname: baselines\ndevices: cpu\nstages:\n"
         "  - {id: phantom, plugin: sim.phantom, with: {kind: foam, size: 128, slices: 8, seed: 1001}}\n"
         "  - {id: scan, plugin: sim.tomo, inputs: {volume: phantom.volume}, with: {angles: 90, noise: poisson, "
         "photons: 5000, seed: 1}}\n"
         "  - {id: fbp, plugin: tomo.fbp, inputs: {projections: scan.projections}}\n"
         "  - {id: save_fbp, plugin: io.hdf5_writer, inputs: {volume: fbp.volume}, with: {path: "
      << dir / "fbp.h5" << ", preview: false}}\n"
      << "  - {id: save_phantom, plugin: io.hdf5_writer, inputs: {volume: phantom.volume}, with: {path: "
      << dir / "phantom.h5" << ", preview: false}}\n";
  for (int n : sirt_iterations)
    out << "  - {id: sirt" << n << ", plugin: tomo.sirt, inputs: {projections: scan.projections}, with: {iterations: "
        << n << ", min: 0}}\n"
        << "  - {id: save_sirt" << n << ", plugin: io.hdf5_writer, inputs: {volume: sirt" << n
        << ".volume}, with: {path: " << dir / ("sirt" + std::to_string(n) + ".h5") << ", preview: false}}\n";
  return path;
}

double ssim_against(const xrecon::ArrayF& truth, const std::string& file) {
  return ssim_of_slices(truth, file, 0, truth.extent(0));
}

}  // namespace

TEST(TomoAdmmQuality, TheLearnedPriorInTheLoopBeatsSirtFbpAndTv) {
  TempDir dir;
  const std::vector<int> sirt_iterations{1, 2, 3, 5, 10, 20};
  auto r = run_command("cd " XRECON_SOURCE_DIR " && " + xrecon_command("run " + baselines_pipeline(dir, sirt_iterations)));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char* prior : {"tv", "tomogan"}) {
    r = run_command("cd " XRECON_SOURCE_DIR " && " +
                    xrecon_command(std::string("run configs/tomo_admm_") + prior + ".yaml --set save.path=" +
                                   dir / (std::string("admm_") + prior + ".h5") + " --set save.preview=false" +
                                   " --set recon.report=" + dir / (std::string("admm_") + prior + ".jsonl")));
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
  const xrecon::ArrayF truth = xrecon::io::read_volume(dir / "phantom.h5").data;
  const double fbp = ssim_against(truth, dir / "fbp.h5");
  double sirt = 0;
  int best = 0;
  for (int n : sirt_iterations) {
    const double s = ssim_against(truth, dir / ("sirt" + std::to_string(n) + ".h5"));
    std::cout << "SSIM SIRT " << n << " iterations: " << s << "\n";
    if (s > sirt) sirt = s, best = n;
  }
  const double tv = ssim_against(truth, dir / "admm_tv.h5");
  const double tomogan = ssim_against(truth, dir / "admm_tomogan.h5");
  std::cout << "SSIM against the phantom: FBP " << fbp << ", SIRT (best, " << best << " iterations) " << sirt
            << ", ADMM + TV " << tv << ", ADMM + TomoGAN " << tomogan << "\n";
  write_middle_slices(truth, "phantom",
                      {{"FBP", dir / "fbp.h5"},
                       {"SIRT " + std::to_string(best), dir / ("sirt" + std::to_string(best) + ".h5")},
                       {"ADMM+TV", dir / "admm_tv.h5"},
                       {"ADMM+TOMOGAN", dir / "admm_tomogan.h5"}},
                      "tomo_admm_comparison.png");
  // Measured (2026-12-04): FBP 0.118, SIRT best 0.703 (1 iteration: on a slice that is mostly one
  // uniform disc, SSIM rewards its smooth first image), ADMM + TV 0.879, ADMM + TomoGAN 0.940
  // (held-out seeds 1002 and 1003: 0.937, 0.944 against TV's 0.883, 0.882). Each margin is the
  // measured gap less a third, for noise-seed and platform drift.
  EXPECT_GT(tomogan, tv + 0.04);
  EXPECT_GT(tomogan, sirt + 0.15);
  EXPECT_GT(tomogan, fbp + 0.55);
  EXPECT_GT(tv, sirt + 0.12);
  EXPECT_LT(best, sirt_iterations.back()) << "SIRT's best count lies beyond the counts tried";
}
