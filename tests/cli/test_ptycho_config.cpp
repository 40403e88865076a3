// configs/ptycho_cg.yaml as a user runs it: the phase it writes matches the simulated object's,
// and splitting the positions over two devices gives the one-device result.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <iostream>

#include "command.hpp"
#include "volume_reader.hpp"
#include "xrecon/sim/ptycho_sim.hpp"

namespace {

CommandResult run_ptycho(const std::string& output, const std::string& extra) {
  return run_command("cd " XRECON_SOURCE_DIR " && " +
                     xrecon_command("run configs/ptycho_cg.yaml --set save.path=" + output + " " + extra));
}

// The same scan as the config's sim.ptycho stage.
xrecon::sim::PtychoSimulation config_scan() {
  xrecon::sim::PtychoSimSpec spec;
  spec.object.size = 96;
  spec.probe_size = 32;
  spec.fwhm = 14;
  spec.step = 6;
  spec.jitter = 0.5;
  spec.photons = 1e6;
  spec.seed = 1;
  return xrecon::sim::simulate_ptycho(spec);
}

}  // namespace

TEST(PtychoConfig, PhaseMatchesTheSimulatedObject) {
  TempDir dir;
  const auto r = run_ptycho(dir / "phase.h5", "");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const xrecon::Volume phase = xrecon::io::read_volume(dir / "phase.h5");
  const auto truth = config_scan();
  ASSERT_EQ(phase.data.size(), truth.object.size());
  const std::size_t rows = truth.object.extent(0), cols = truth.object.extent(1);
  // Compare where the probe's bright centre has been (away from the scan's edge), after removing
  // the global phase the data cannot determine.
  const std::size_t edge = 16;
  double offset = 0;
  std::size_t count = 0;
  for (std::size_t r0 = edge; r0 < rows - edge; ++r0)
    for (std::size_t c = edge; c < cols - edge; ++c, ++count)
      offset += std::remainder(phase.data[r0 * cols + c] - std::arg(truth.object[r0 * cols + c]), 2 * M_PI);
  offset /= double(count);
  double sum = 0;
  for (std::size_t r0 = edge; r0 < rows - edge; ++r0)
    for (std::size_t c = edge; c < cols - edge; ++c) {
      const double d = std::remainder(phase.data[r0 * cols + c] - offset - std::arg(truth.object[r0 * cols + c]), 2 * M_PI);
      sum += d * d;
    }
  const double rmse = std::sqrt(sum / double(count));
  std::cout << "phase RMSE " << rmse << " rad (phase range 0..1 rad)\n";
  EXPECT_LT(rmse, 0.1);  // measured 0.093 (60 Poisson iterations, 1e6 photons per exposure)
}

// The config's Poisson likelihood (cost about -1e9, a line search sensitive to the last bits):
// the ranks' partial gradients are summed in double and rounded to float once, so the float
// gradient, and with it the trajectory, does not depend on the split.
TEST(PtychoConfig, TwoDevicesGiveTheOneDeviceResult) {
  TempDir dir;
  const std::string settings = "--set recon.iterations=15";
  ASSERT_EQ(run_ptycho(dir / "one.h5", settings).exit_code, 0);
  const auto two = run_ptycho(dir / "two.h5", settings + " --devices cpu:2");
  ASSERT_EQ(two.exit_code, 0) << two.output;
  const xrecon::Volume a = xrecon::io::read_volume(dir / "one.h5");
  const xrecon::Volume b = xrecon::io::read_volume(dir / "two.h5");
  ASSERT_EQ(a.data.shape(), b.data.shape());
  double worst = 0;
  for (std::size_t i = 0; i < a.data.size(); ++i) worst = std::max(worst, double(std::fabs(a.data[i] - b.data[i])));
  std::cout << "largest phase difference, 1 vs 2 devices: " << worst << " rad\n";
  EXPECT_LT(worst, 1e-4);  // measured 0 (Poisson, 15 iterations)
}
