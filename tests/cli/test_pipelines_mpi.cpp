// Pipelines under `mpirun -np 2 xrecon run ... --communicator mpi` against one process (label mpi;
// 2 processes on loopback). configs/ptycho_cg.yaml: each process drives one rank (its band of scan
// positions), gradients and costs are summed over MPI, rank 0 writes the result, and the phase is
// the one-process phase. The tomography configs: each process reconstructs its slab of slices and
// the slabs are gathered, so rank 0 writes the whole volume, the one-process volume.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>

#include "command.hpp"
#include "output_difference.hpp"

namespace {

// As root in a CI container on 2 cores: Open MPI must be told root is fine, may place more
// processes than cores, and talks over loopback TCP (tests/mpi/CMakeLists.txt says the same).
std::string mpirun(int processes, const std::string& args) {
  return "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 " XRECON_MPIEXEC
         " --allow-run-as-root --oversubscribe --mca btl self,tcp --mca btl_tcp_if_include lo -np " +
         std::to_string(processes) + " " + xrecon_command(args);
}

CommandResult in_source_dir(const std::string& command) {
  return run_command("cd " XRECON_SOURCE_DIR " && " + command);
}

std::string ptycho_args(const std::string& output, const std::string& settings) {
  return "run configs/ptycho_cg.yaml --set save.path=" + output + " --set save.preview=false " + settings;
}

const std::string kSettings = "--set recon.iterations=15 --set recon.noise=gaussian";

// Writes `config` once from one process and once from two, and returns the largest difference.
double one_against_two_processes(const std::string& config, const std::string& settings) {
  TempDir dir;
  const std::string one_path = dir / "one.h5", two_path = dir / "two.h5";
  const auto args = [&](const std::string& output) {
    return "run " + config + " --set save.path=" + output + " --set save.preview=false " + settings;
  };
  const auto one = in_source_dir(xrecon_command(args(one_path)));
  EXPECT_EQ(one.exit_code, 0) << one.output;
  const auto two = in_source_dir(mpirun(2, args(two_path) + " --communicator mpi"));
  EXPECT_EQ(two.exit_code, 0) << two.output;
  if (one.exit_code != 0 || two.exit_code != 0) return INFINITY;
  EXPECT_NE(two.output.find("on 2 device"), std::string::npos) << "the stage did not split over 2 ranks\n"
                                                                << two.output;
  return largest_difference(one_path, two_path);
}

// Three slices over two ranks: slabs of 2 and 1, so the gather also moves a padded block.
const std::string kTomoSettings = "--set phantom.slices=3 --set phantom.size=96 --set scan.angles=90";

}  // namespace

TEST(PtychoMpi, TwoProcessesGiveTheOneProcessPhase) {
  TempDir dir;
  const auto one = in_source_dir(xrecon_command(ptycho_args(dir / "one.h5", kSettings)));
  ASSERT_EQ(one.exit_code, 0) << one.output;
  const auto two = in_source_dir(mpirun(2, ptycho_args(dir / "two.h5", kSettings + " --communicator mpi")));
  ASSERT_EQ(two.exit_code, 0) << two.output;
  EXPECT_NE(two.output.find("mpi communicator, 2 processes, this one rank 0 on cpu:0"), std::string::npos)
      << two.output;
  EXPECT_NE(two.output.find("on 2 device(s)"), std::string::npos) << "ptycho.cg did not split over 2 ranks\n"
                                                                   << two.output;
  const double worst = largest_difference(dir / "one.h5", dir / "two.h5");
  std::cout << "largest phase difference, 1 process vs 2 mpi processes: " << worst << " rad\n";
  EXPECT_LT(worst, 1e-4);
}

TEST(PtychoMpi, UnderMpirunAutoChoosesMpi) {
  TempDir dir;
  const auto r = in_source_dir(mpirun(2, ptycho_args(dir / "auto.h5", "--set recon.iterations=2")));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("mpi communicator, 2 processes"), std::string::npos) << r.output;
}

TEST(PtychoMpi, DevicesThatDoNotMatchTheProcessesAreRefused) {
  TempDir dir;
  const auto r =
      in_source_dir(mpirun(2, ptycho_args(dir / "bad.h5", "--communicator mpi --devices cpu:3")));
  EXPECT_NE(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("3 devices for 2 processes"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "bad.h5"));
}

// Poisson: the partial gradients and line-search sums travel in double and are rounded once, so
// the split does not change the path the line search takes.
TEST(PtychoMpi, TwoProcessesGiveTheOneProcessPhaseWithPoissonNoise) {
  const double worst = one_against_two_processes(
      "configs/ptycho_cg.yaml", "--set recon.iterations=15 --set recon.noise=poisson");
  std::cout << "largest phase difference (Poisson), 1 process vs 2 mpi processes: " << worst << " rad\n";
  EXPECT_LT(worst, 1e-4);
}

// Each tomography config over 2 processes against 1. SIRT and FBP treat slices independently,
// so each process's slab is what one process computes for it; CGLS couples the slabs through its
// step lengths (sums over every slice, all-reduced in double), so there the summation order differs.
struct TomoCase {
  std::string config, settings;
  double tolerance;
};

void PrintTo(const TomoCase& c, std::ostream* out) { *out << c.config << c.settings; }

class TomoMpi : public testing::TestWithParam<TomoCase> {};

TEST_P(TomoMpi, TwoProcessesWriteTheWholeOneProcessVolume) {
  const TomoCase& c = GetParam();
  const double worst = one_against_two_processes("configs/" + c.config + ".yaml", kTomoSettings + c.settings);
  std::cout << "largest difference in " << c.config << ", 1 process vs 2 mpi processes: " << worst << "\n";
  EXPECT_LT(worst, c.tolerance);
}

INSTANTIATE_TEST_SUITE_P(Configs, TomoMpi,
                         testing::Values(TomoCase{"tomo_sirt", " --set recon.iterations=20", 1e-6},
                                         TomoCase{"tomo_fbp", "", 1e-6},
                                         TomoCase{"tomo_cgls", " --set recon.iterations=10", 1e-5},
                                         // ADMM: CGLS's sums, and the priors' halos across the
                                         // processes (3-D TV reads its neighbours' slices).
                                         TomoCase{"tomo_admm_tv", " --set recon.iterations=6 --set recon.report="
                                                                  "/tmp/xrecon_mpi_admm_tv.jsonl", 1e-5},
                                         TomoCase{"tomo_admm_tomogan", " --set recon.iterations=6 --set recon.report="
                                                                       "/tmp/xrecon_mpi_admm_gan.jsonl", 1e-5}),
                         [](const testing::TestParamInfo<TomoCase>& info) { return info.param.config; });

// joint.admm over 2 processes: each process's rank holds half the angles for the psi-step and half
// the slices for the u-step; the all-to-all between them (a reduce-scatter) and the TV halo cross
// the processes, and rank 0 writes the whole delta volume.
TEST(JointMpi, TwoProcessesGiveTheOneProcessVolume) {
  TempDir dir;
  const auto args = [&](const std::string& output) {
    return "run configs/joint_ptycho_tomo.yaml --set scan.size=32 --set scan.slices=16 --set scan.angles=24 "
           "--set recon.iterations=4 --set recon.report=" + dir / "joint.jsonl" + " --set save_delta.path=" + output +
           " --set save_delta.preview=false --set save_beta.path=" + dir / "beta.h5" + " --set save_beta.preview=false";
  };
  const auto one = in_source_dir(xrecon_command(args(dir / "one.h5")));
  ASSERT_EQ(one.exit_code, 0) << one.output;
  const auto two = in_source_dir(mpirun(2, args(dir / "two.h5") + " --communicator mpi"));
  ASSERT_EQ(two.exit_code, 0) << two.output;
  const double worst = largest_difference(dir / "one.h5", dir / "two.h5");
  std::cout << "joint.admm delta, 1 process vs 2 mpi processes: largest difference " << worst << "\n";
  EXPECT_LT(worst, 1e-10);  // delta is ~1e-6; CGLS's sums in another order are all that may differ
}
