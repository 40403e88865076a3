// configs/ptycho_cg.yaml under `mpirun -np 2 xrecon run ... --communicator mpi`: each process
// drives one rank (its band of scan positions), gradients and costs are summed over MPI, rank 0
// writes the result, and the phase is the one-process phase (label mpi; 2 processes on loopback).
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>

#include "command.hpp"
#include "volume_reader.hpp"

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

double largest_difference(const std::string& a_path, const std::string& b_path) {
  const xrecon::Volume a = xrecon::io::read_volume(a_path);
  const xrecon::Volume b = xrecon::io::read_volume(b_path);
  EXPECT_EQ(a.data.shape(), b.data.shape());
  if (a.data.shape() != b.data.shape()) return INFINITY;
  double worst = 0;
  for (std::size_t i = 0; i < a.data.size(); ++i) worst = std::max(worst, double(std::fabs(a.data[i] - b.data[i])));
  return worst;
}

// Gaussian likelihood, as in PtychoConfig.TwoDevicesGiveTheOneDeviceResult: the Poisson line
// search is sensitive enough to float summation order to take a different (equally good) path.
const std::string kSettings = "--set recon.iterations=15 --set recon.noise=gaussian";

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
