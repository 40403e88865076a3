// sim.ptycho -> io.cxi_writer, then io.cxi -> io.cxi_writer, through the xrecon command: the
// simulated scan survives the file and a copy of the file, and the same seed gives the same data.
#include <gtest/gtest.h>

#include <fstream>

#include "command.hpp"
#include "cxi_reader.hpp"
#include "xrecon/sim/ptycho_sim.hpp"
#include "../support/scan_equality.hpp"

namespace {

void write_text(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

std::string simulate_pipeline(const std::string& output) {
  return "version: 1\nname: ptycho-sim\ndevices: cpu\nstages:\n"
         "  - id: sim\n    plugin: sim.ptycho\n"
         "    with: {object: siemens_star, size: 64, probe: focused, probe_size: 24, fwhm: 6, defocus: 4,\n"
         "           scan: fermat, step: 6, photons: 1e5, seed: 5}\n"
         "  - id: save\n    plugin: io.cxi_writer\n    inputs: {scan: sim.scan}\n    with: {path: " +
         output + "}\n";
}

std::string copy_pipeline(const std::string& input, const std::string& output) {
  return "version: 1\nname: cxi-copy\ndevices: cpu\nstages:\n"
         "  - id: load\n    plugin: io.cxi\n    with: {path: " + input + "}\n"
         "  - id: save\n    plugin: io.cxi_writer\n    inputs: {scan: load.scan}\n    with: {path: " + output + "}\n";
}


TEST(PtychoCxiPipeline, SimulatedScanSurvivesWritingAndCopying) {
  TempDir dir;
  write_text(dir / "simulate.yaml", simulate_pipeline(dir / "sim.cxi"));
  write_text(dir / "copy.yaml", copy_pipeline(dir / "sim.cxi", dir / "copy.cxi"));
  const CommandResult simulated = run_command(xrecon_command("run " + (dir / "simulate.yaml")));
  ASSERT_EQ(simulated.exit_code, 0) << simulated.output;
  EXPECT_NE(simulated.output.find("linear overlap"), std::string::npos) << simulated.output;
  const CommandResult copied = run_command(xrecon_command("run " + (dir / "copy.yaml")));
  ASSERT_EQ(copied.exit_code, 0) << copied.output;

  const xrecon::io::CxiResult first = xrecon::io::read_cxi(dir / "sim.cxi");
  const xrecon::io::CxiResult second = xrecon::io::read_cxi(dir / "copy.cxi");
  xrecon::testing::expect_same_scan(*first.scan, *second.scan);

  // The stage ran simulate_ptycho with these parameters and margin 2: the file holds its result.
  xrecon::sim::PtychoSimSpec spec;
  spec.object = {xrecon::sim::ComplexPhantom::siemens_star, 64, 0.5, 1.0, 18};
  spec.probe = xrecon::sim::ProbeKind::focused;
  spec.probe_size = 24;
  spec.fwhm = 6;
  spec.defocus = 4;
  spec.scan = xrecon::sim::ScanKind::fermat;
  spec.step = 6;
  spec.photons = 1e5;
  spec.seed = 5;
  const xrecon::sim::PtychoSimulation truth = xrecon::sim::simulate_ptycho(spec);
  xrecon::PtychoScan expected;
  expected.patterns = truth.patterns;
  expected.probe = truth.probe;
  expected.positions = truth.positions;
  expected.object_rows = truth.object.extent(0);
  expected.object_cols = truth.object.extent(1);
  expected.energy = 8.8e3 * 1.602176634e-19;
  expected.distance = 2.0;
  expected.detector_pixel = 75e-6;
  xrecon::testing::expect_same_scan(*first.scan, expected);
}

TEST(PtychoCxiPipeline, BrokenFileIsReportedByName) {
  TempDir dir;
  write_text(dir / "not.cxi", "not hdf5");
  write_text(dir / "copy.yaml", copy_pipeline(dir / "not.cxi", dir / "copy.cxi"));
  const CommandResult result = run_command(xrecon_command("run " + (dir / "copy.yaml")));
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.output.find(dir / "not.cxi"), std::string::npos) << result.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "copy.cxi"));
}

TEST(PtychoCxiPipeline, ShippedConfigRuns) {
  TempDir dir;
  const CommandResult result = run_command("cd " XRECON_SOURCE_DIR " && " +
                                           xrecon_command("run configs/ptycho_sim_cxi.yaml --set save.path=" +
                                                          (dir / "scan.cxi")));
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const xrecon::io::CxiResult read = xrecon::io::read_cxi(dir / "scan.cxi");
  EXPECT_EQ(read.scan->patterns.extent(1), 64u);
  EXPECT_GT(read.scan->patterns.extent(0), 30u);
}

}  // namespace
