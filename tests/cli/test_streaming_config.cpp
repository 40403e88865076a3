// configs/streaming_sirt.yaml run as a user runs it: the refreshed result file, its preview, and
// the JSON-lines report with a line per refresh.
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>

#include "command.hpp"
#include "volume_reader.hpp"
#include "xrecon/metrics/image_quality.hpp"
#include "xrecon/sim/phantom.hpp"

namespace fs = std::filesystem;

namespace {

CommandResult run_streaming(const TempDir& dir, const std::string& extra = "") {
  return run_command("cd " XRECON_SOURCE_DIR " && " +
                     xrecon_command("run configs/streaming_sirt.yaml --set save.path=" + (dir / "stream.h5") +
                                    " --set recon.report=" + (dir / "stream.jsonl") + " " + extra));
}

std::vector<std::string> lines_of(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The number after "name": in a report line.
double field(const std::string& line, const std::string& name) {
  const std::size_t at = line.find("\"" + name + "\":");
  EXPECT_NE(at, std::string::npos) << name << " in " << line;
  return at == std::string::npos ? 0.0 : std::stod(line.substr(at + name.size() + 3));
}

}  // namespace

TEST(StreamingConfig, RunsAndLeavesTheLatestRefreshAndItsReport) {
  TempDir dir;
  const auto r = run_streaming(dir);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  ASSERT_TRUE(fs::exists(dir / "stream.h5"));
  ASSERT_TRUE(fs::exists(dir / "stream.png"));
  const std::vector<std::string> report = lines_of(dir / "stream.jsonl");
  // 4 rotations of 180 projections, a refresh every 16: 45 refreshes, the last one full.
  ASSERT_EQ(report.size(), 45u);
  EXPECT_EQ(field(report.back(), "refresh"), 44.0);
  EXPECT_EQ(field(report.back(), "projections"), 720.0);

  // The file holds the last refresh: its RMSE against the phantom is the one reported last.
  const xrecon::Volume result = xrecon::io::read_volume(dir / "stream.h5");
  const xrecon::ArrayF phantom = xrecon::sim::rasterize(xrecon::sim::shepp_logan_2d(), 256, 3).reshaped({1, 256, 256});
  const double rmse = xrecon::metrics::rmse(result.data, phantom);
  EXPECT_NEAR(rmse, field(report.back(), "rmse"), 1e-5);
  std::cout << "last refresh: RMSE " << rmse << ", SSIM " << field(report.back(), "ssim") << "\n";
  // Measured 0.047 and 0.94 (1e5 photons, W 32, S 16, I 2).
  EXPECT_LT(rmse, 0.055);
  EXPECT_GT(field(report.back(), "ssim"), 0.9);
}

TEST(StreamingConfig, AStepLongerThanTheWindowIsRefusedBeforeTheRun) {
  TempDir dir;
  const auto r = run_streaming(dir, "--set recon.step=64");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("step"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("never be used"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir / "stream.jsonl"));
}
