// sim.joint_scan -> io.cxi_writer (one CXI file per angle plus an index) and io.cxi reading the
// index back, through the xrecon command: the files hold the simulation, a copy through the index
// is the same series, and broken input stops the run naming the file.
#include <gtest/gtest.h>

#include <fstream>

#include "command.hpp"
#include "cxi_reader.hpp"
#include "xrecon/sim/joint_scan.hpp"
#include "../support/scan_equality.hpp"

namespace {

void write_text(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

std::string copy_pipeline(const std::string& index, const std::string& folder) {
  return "version: 1\nname: joint-cxi-copy\ndevices: cpu\nstages:\n"
         "  - id: load\n    plugin: io.cxi\n    with: {path: " + index + "}\n"
         "  - id: save\n    plugin: io.cxi_writer\n    inputs: {scan: load.scan}\n"
         "    with: {path: \"" + folder + "/copy_{angle}.cxi\"}\n";
}


// Runs the shipped config with its files under `folder`.
CommandResult run_shipped_config(const std::string& folder) {
  return run_command("cd " XRECON_SOURCE_DIR " && " +
                     xrecon_command("run configs/joint_scan_cxi.yaml --set save.path=" + folder + "/"));
}

TEST(JointScanCxi, ShippedConfigWritesTheSimulationOneFilePerAngle) {
  TempDir dir;
  const CommandResult result = run_shipped_config(dir / "series");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("delta/beta 340"), std::string::npos) << result.output;

  // The config's parameters: what the stage simulated.
  xrecon::sim::JointScanSpec spec;
  spec.object.size = 64;
  spec.object.slices = 32;
  spec.angles = 48;
  spec.probe_size = 16;
  spec.step = 8;
  spec.photons = 1e5;
  spec.seed = 1;
  const xrecon::sim::JointScanSimulation simulation(spec);

  const xrecon::io::CxiSeries series(dir / "series/index.txt");
  ASSERT_EQ(series.size(), 48u);
  EXPECT_EQ(series.object_rows(), 32u);
  EXPECT_EQ(series.object_cols(), 64u);
  EXPECT_NEAR(series.pixel_size(), simulation.voxel_size(), 1e-9 * simulation.voxel_size());
  for (std::size_t a : {std::size_t(0), std::size_t(17), std::size_t(47)}) {
    SCOPED_TRACE("angle " + std::to_string(a));
    const xrecon::sim::JointScanSimulation::AngleScan truth = simulation.scan(a);
    xrecon::PtychoScan expected;
    expected.sequence = a;
    expected.angle = simulation.angles()[a];
    expected.patterns = truth.patterns;
    expected.positions = truth.positions;
    expected.probe = simulation.probe();
    expected.object_rows = 32;
    expected.object_cols = 64;
    expected.energy = 8.8e3 * 1.602176634e-19;
    expected.distance = 2.0;
    expected.detector_pixel = simulation.detector_pixel();
    xrecon::testing::expect_same_scan(*series.read(a).scan, expected);
  }
}

TEST(JointScanCxi, CopyThroughTheIndexIsTheSameSeries) {
  TempDir dir;
  ASSERT_EQ(run_shipped_config(dir / "series").exit_code, 0);
  write_text(dir / "copy.yaml", copy_pipeline(dir / "series/index.txt", dir / "copy"));
  const CommandResult copied = run_command(xrecon_command("run " + (dir / "copy.yaml")));
  ASSERT_EQ(copied.exit_code, 0) << copied.output;
  EXPECT_NE(copied.output.find("lists 48 scans"), std::string::npos) << copied.output;

  const xrecon::io::CxiSeries original(dir / "series/index.txt"), copy(dir / "copy/index.txt");
  ASSERT_EQ(copy.size(), original.size());
  for (std::size_t k = 0; k < copy.size(); ++k) {
    SCOPED_TRACE("scan " + std::to_string(k));
    const std::string number = (k < 10 ? "000" : "00") + std::to_string(k);
    EXPECT_EQ(copy.file(k).filename().string(), "copy_" + number + ".cxi");
    xrecon::testing::expect_same_scan(*copy.read(k).scan, *original.read(k).scan);
  }
}

TEST(JointScanCxi, MissingListedFileStopsTheRunNamingIt) {
  TempDir dir;
  ASSERT_EQ(run_shipped_config(dir / "series").exit_code, 0);
  std::filesystem::remove(dir / "series/angle_0005.cxi");
  write_text(dir / "copy.yaml", copy_pipeline(dir / "series/index.txt", dir / "copy"));
  const CommandResult result = run_command(xrecon_command("run " + (dir / "copy.yaml")));
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.output.find(dir / "series/index.txt:9"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("angle_0005.cxi, which does not exist"), std::string::npos) << result.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "copy/index.txt"));
  EXPECT_FALSE(std::filesystem::exists(dir / "copy/copy_0000.cxi"));
}

TEST(JointScanCxi, ProbeLargerThanTheSlicesIsRefusedBeforeRunning) {
  TempDir dir;
  write_text(dir / "bad.yaml",
             "version: 1\nname: bad\ndevices: cpu\nstages:\n"
             "  - id: scan\n    plugin: sim.joint_scan\n    with: {slices: 8, probe_size: 16}\n"
             "  - id: save\n    plugin: io.cxi_writer\n    inputs: {scan: scan.scans}\n    with: {path: " +
                 (dir / "out/") + "}\n");
  const CommandResult result = run_command(xrecon_command("validate " + (dir / "bad.yaml")));
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_NE(result.output.find("probe_size"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("larger than slices (8)"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("bad.yaml:"), std::string::npos) << result.output;
}

}  // namespace
