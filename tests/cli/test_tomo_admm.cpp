// tomo.admm end to end, as a user runs it: ADMM's fixed point without a prior is the least-squares
// solution, the device count does not change the volume (the priors see their neighbours' slices
// through the halo exchange), a resumed run equals an uninterrupted one, residual balancing acts
// whenever the residuals leave its band, and bad input stops the run before its first iteration.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>

#include "admm_pipeline.hpp"
#include "output_difference.hpp"
#include "volume_reader.hpp"
#include "xrecon/metrics/image_quality.hpp"

namespace fs = std::filesystem;

namespace {

double relative_l2(const xrecon::ArrayF& a, const xrecon::ArrayF& b) {
  double diff = 0, norm = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff += std::pow(double(a[i]) - b[i], 2), norm += double(b[i]) * b[i];
  return std::sqrt(diff / norm);
}

double max_difference(const xrecon::ArrayF& a, const xrecon::ArrayF& b) {
  double d = 0;
  for (std::size_t i = 0; i < a.size(); ++i) d = std::max(d, std::abs(double(a[i]) - b[i]));
  return d;
}

const std::string kTv = "prior: {plugin: prior.tv, with: {lambda: 0.05, coupling: volume, iterations: 20}}\n";
const std::string kTomogan = "prior: {plugin: prior.tomogan, with: {model: models/tomogan-foam.h5, strength: 0.5}}\n";

}  // namespace

TEST(TomoAdmm, WithoutAPriorItConvergesToTheCglsSolution) {
  // Noise-free and well determined (96 angles for 32^2), so the least-squares solution is unique.
  // A zero-strength prior leaves z = x + u: u stays 0, and each x-step is a proximal step towards
  // the last x, which converges to the least-squares solution from any rho; starting from a large
  // rho, balancing must bring it down (the primal residual is 0, the dual one is not).
  TempDir dir;
  ScanSettings scan{.phantom = "{kind: foam, size: 32, slices: 2, seed: 1001}", .scan = "{angles: 96}"};
  const std::string admm = write_admm_pipeline(
      dir, "iterations: 60\nrho: 100\nprimal_tolerance: 0\ndual_tolerance: 0\n"
           "tomo: {plugin: tomo.cgls_solver, with: {iterations: 10}}\n"
           "prior: {plugin: prior.tv, with: {lambda: 0}}\nreport: " + dir / "admm.jsonl" + "\n", scan);
  auto r = run_in_source_dir("run " + admm);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const xrecon::Volume x = xrecon::io::read_volume(dir / "result.h5");
  const auto report = read_report(dir / "admm.jsonl");
  ASSERT_EQ(report.size(), 60u);
  EXPECT_LT(report.back().at("rho"), report.front().at("rho") / 100) << "balancing did not lower rho";

  TempDir cgls_dir;
  const std::string cgls = cgls_dir / "cgls.yaml";
  std::ofstream(cgls) << "version: 1\nname: cgls\ndevices: cpu\nstages:\n"
                         "  - {id: phantom, plugin: sim.phantom, with: {kind: foam, size: 32, slices: 2, seed: 1001}}\n"
                         "  - {id: scan, plugin: sim.tomo, inputs: {volume: phantom.volume}, with: {angles: 96}}\n"
                         "  - {id: recon, plugin: tomo.cgls, inputs: {projections: scan.projections}, with: {iterations: 300}}\n"
                         "  - {id: save, plugin: io.hdf5_writer, inputs: {volume: recon.volume}, with: {path: "
                      << cgls_dir / "cgls.h5" << ", preview: false}}\n";
  r = run_in_source_dir("run " + cgls);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const double distance = relative_l2(x.data, xrecon::io::read_volume(cgls_dir / "cgls.h5").data);
  std::cout << "ADMM (no prior) vs CGLS: relative L2 " << distance << "\n";
  // Measured 0.0029 (60 iterations of 10 CGLS steps, rho from 100 down); allowance 2x.
  EXPECT_LT(distance, 0.006);
}

TEST(TomoAdmm, OneAndThreeDevicesGiveTheSameVolume) {
  // 3-D TV reads its neighbours up to its iteration count away, TomoGAN one slice: with the halo
  // exchange each slab sees what the whole volume would, so the split must not show.
  for (const std::string& prior : {kTv, kTomogan}) {
    TempDir one, three;
    const std::string with = "iterations: 6\nmin: 0\n" + prior;
    auto r = run_in_source_dir("run " + write_admm_pipeline(one, with));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    r = run_in_source_dir("run " + write_admm_pipeline(three, with, {}, "cpu:3"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const xrecon::ArrayF a = xrecon::io::read_volume(one / "result.h5").data;
    const xrecon::ArrayF b = xrecon::io::read_volume(three / "result.h5").data;
    const double difference = max_difference(a, b);
    std::cout << prior << "  cpu vs cpu:3, largest difference " << difference << "\n";
    // Measured 0 (bit-identical) for both priors. CGLS sums its scalars per slab, then over the
    // slabs: a different order of float rounding is all a split may change.
    EXPECT_LT(difference, 1e-5) << prior;
  }
}

TEST(TomoAdmm, AResumedRunEqualsAnUninterruptedOne) {
  TempDir whole, parts, checkpoints;
  const std::string with = "iterations: ITERATIONS\ncheckpoint_every: 3\nmin: 0\n" + kTv;
  const auto pipeline = [&](const TempDir& dir, int iterations) {
    std::string w = with;
    w.replace(w.find("ITERATIONS"), 10, std::to_string(iterations));
    return write_admm_pipeline(dir, w);
  };
  auto r = run_in_source_dir("run " + pipeline(whole, 8));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  // Interrupted after 5 iterations (its last checkpoint at 5), then resumed to 8.
  r = run_in_source_dir("run " + pipeline(parts, 5) + " --checkpoint " + checkpoints.path().string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = run_in_source_dir("run " + pipeline(parts, 8) + " --checkpoint " + checkpoints.path().string() + " --resume");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("resuming after iteration 5"), std::string::npos) << r.output;
  EXPECT_EQ(max_difference(xrecon::io::read_volume(whole / "result.h5").data,
                           xrecon::io::read_volume(parts / "result.h5").data),
            0.0);
}

TEST(TomoAdmm, BalancingActsWheneverTheResidualsLeaveItsBand) {
  // From a rho far too large (the dual residual dominates), balancing halves rho until the
  // residuals (relative to their scales) are within a factor 10 of each other, then keeps them
  // there: an excursion out of the band is corrected at the next iteration.
  TempDir dir;
  const std::string with = "iterations: 30\nrho: 100\nprimal_tolerance: 0\ndual_tolerance: 0\n"
                           "min: 0\nreport: " + dir / "admm.jsonl" + "\n" + kTv;
  const auto r = run_in_source_dir("run " + write_admm_pipeline(dir, with));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto report = read_report(dir / "admm.jsonl");
  ASSERT_EQ(report.size(), 30u);
  const auto out_of_band = [&](std::size_t i) {
    const double ratio = report[i].at("primal_relative") / report[i].at("dual_relative");
    return ratio > 10 || ratio < 0.1;
  };
  std::size_t changes = 0, first_in_band = 0;
  // Balancing starts after the first iteration, whose dual residual measures z against the zero start.
  for (std::size_t i = 1; i + 1 < report.size(); ++i) {
    const double primal = report[i].at("primal_relative"), dual = report[i].at("dual_relative");
    const double next = report[i + 1].at("rho") / report[i].at("rho");
    // The report keeps 6 significant digits.
    if (primal > 10 * dual) EXPECT_NEAR(next, 2.0, 1e-4) << "iteration " << i + 1;
    else if (dual > 10 * primal) EXPECT_NEAR(next, 0.5, 1e-4) << "iteration " << i + 1;
    else EXPECT_NEAR(next, 1.0, 1e-4) << "iteration " << i + 1;
    changes += std::abs(next - 1.0) > 1e-4;
    if (!first_in_band && !out_of_band(i)) first_in_band = i;
  }
  // Measured: 12 halvings (rho 100 -> 0.024) before the residuals meet, one excursion later.
  EXPECT_GE(changes, 8u);
  ASSERT_GT(first_in_band, 0u);
  for (std::size_t i = first_in_band; i + 1 < report.size(); ++i)
    EXPECT_FALSE(out_of_band(i) && out_of_band(i + 1)) << "iterations " << i + 1 << " and " << i + 2;
}

TEST(TomoAdmm, WritesItsReportAndConvergencePlot) {
  TempDir dir;
  const auto r = run_in_source_dir(
      "run " + write_admm_pipeline(dir, "iterations: 4\nreport: " + dir / "run/admm.jsonl" + "\n" + kTv));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto report = read_report(dir / "run/admm.jsonl");
  ASSERT_EQ(report.size(), 4u);
  for (const char* key : {"iteration", "primal_residual", "dual_residual", "primal_relative", "dual_relative", "rho",
                          "data_term", "seconds_tomo",
                          "seconds_prior", "seconds_other", "rmse", "ssim"})
    EXPECT_TRUE(report.back().count(key)) << key;
  EXPECT_EQ(report.back().at("iteration"), 4);
  std::ifstream png(dir / "run/admm_convergence.png", std::ios::binary);
  char signature[8] = {};
  png.read(signature, 8);
  EXPECT_EQ(std::string(signature + 1, 3), "PNG");
  EXPECT_NE(r.output.find("tomo.admm: iteration 4"), std::string::npos) << r.output;
}

TEST(TomoAdmm, BadRolesAreRefusedAtValidation) {
  TempDir dir;
  const struct {
    std::string with, message;
  } cases[] = {
      {"prior: {plugin: tomo.sirt}\n", "is a stage"},
      {"prior: {plugin: tomo.cgls_solver}\n", "needs a Prior"},
      {"tomo: {plugin: prior.tv}\n", "needs a TomoSolver"},
      {"prior: {plugin: prior.tomogan, with: {model: models/tomogan-foam.h5, strength: 1.5}}\n", "out of range"},
      {"prior: {plugin: prior.tomogan, with: {model: models/no-such-model.h5}}\n", "does not exist"},
      {"prior: {plugin: prior.tvv}\n", "did you mean 'prior.tv'"},
  };
  for (const auto& c : cases) {
    const auto r = run_in_source_dir("validate " + write_admm_pipeline(dir, c.with));
    EXPECT_EQ(r.exit_code, 1) << c.with << r.output;
    EXPECT_NE(r.output.find(c.message), std::string::npos) << c.with << r.output;
    // Reported at the nested block's own line (the 16th of the file) and column.
    EXPECT_NE(r.output.find("admm.yaml:16:"), std::string::npos) << c.with << r.output;
  }
}

TEST(TomoAdmm, AModelOfTheWrongChannelCountStopsTheRunBeforeAnyIteration) {
  TempDir dir;
  const auto r = run_in_source_dir("run " + write_admm_pipeline(
      dir, "prior: {plugin: prior.tomogan, with: {model: tests/prior/golden/conv_ops.h5}}\n"
           "report: " + dir / "admm.jsonl" + "\n"));
  EXPECT_NE(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("takes 2 input channels"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("iteration 1"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir / "result.h5"));
}

TEST(TomoAdmm, HostsAUsersSolverAndPriorByName) {
  // user.landweber implements solve() only: on 2 devices each rank runs its own instance through
  // the SDK's default slab form. user.clamp bounds z to [0, 2]: without it Landweber leaves negative values.
  for (const char* devices : {"cpu", "cpu:2"}) {
    TempDir dir;
    const auto r = run_command("cd " XRECON_SOURCE_DIR " && XRECON_PLUGIN_PATH=" XRECON_USER_PLUGIN_DIR " " +
                               xrecon_command("run " + write_admm_pipeline(dir,
                                   "iterations: 15\nprimal_tolerance: 0\ndual_tolerance: 0\ntomo: {plugin: user.landweber, with: {iterations: 5}}\n"
                                   "prior: {plugin: user.clamp, with: {high: 2}}\nreport: " + dir / "admm.jsonl" + "\n",
                                   {}, devices)));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("user.landweber + user.clamp"), std::string::npos) << r.output;
    const xrecon::ArrayF x = xrecon::io::read_volume(dir / "result.h5").data;
    const auto [lo, hi] = std::minmax_element(x.data(), x.data() + x.size());
    EXPECT_GE(*lo, 0.0f) << devices;
    EXPECT_LE(*hi, 2.0f) << devices;
    const auto report = read_report(dir / "admm.jsonl");
    ASSERT_EQ(report.size(), 15u);
    // Landweber has no free data term to hand back: the host measured it, and it fell.
    EXPECT_LT(report.back().at("data_term"), 0.5 * report.front().at("data_term")) << devices;
    EXPECT_GT(report.back().at("ssim"), report.front().at("ssim")) << devices;
  }
}
