// prior.tomogan_enhance through the xrecon command, with a small U-Net model file of the golden
// set (random weights): strength 0 passes the images through unchanged, strength 1 gives the
// network's output, and the report scores both against the truth.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "command.hpp"
#include "volume_reader.hpp"

namespace {

std::string pipeline(const std::string& dir, double strength) {
  return "version: 1\nname: tomogan-enhance\ndevices: cpu\nstages:\n"
         "  - id: phantom\n    plugin: sim.phantom\n    with: {kind: shepp_logan, size: 32, slices: 2}\n"
         "  - id: enhance\n    plugin: prior.tomogan_enhance\n"
         "    inputs: {volume: phantom.volume, truth: phantom.volume}\n"
         "    with: {model: " XRECON_SOURCE_DIR "/tests/prior/golden/unet_nearest1.h5, strength: " +
         std::to_string(strength) + ", report: " + dir + "/report.jsonl}\n"
         "  - id: save\n    plugin: io.hdf5_writer\n    inputs: {volume: enhance.volume}\n"
         "    with: {path: " + dir + "/enhanced.h5, preview: false}\n"
         "  - id: save_raw\n    plugin: io.hdf5_writer\n    inputs: {volume: phantom.volume}\n"
         "    with: {path: " + dir + "/raw.h5, preview: false}\n";
}

std::string run_with_strength(const TempDir& dir, double strength) {
  std::ofstream(dir / "enhance.yaml") << pipeline(dir.path().string(), strength);
  const CommandResult r = run_command(xrecon_command("run " + (dir / "enhance.yaml")));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  std::ifstream report(dir / "report.jsonl");
  std::stringstream text;
  text << report.rdbuf();
  return text.str();
}

double largest_difference(const xrecon::Volume& a, const xrecon::Volume& b) {
  EXPECT_EQ(a.data.shape(), b.data.shape());
  double worst = 0;
  for (std::size_t i = 0; i < a.data.size(); ++i) worst = std::max(worst, double(std::fabs(a.data[i] - b.data[i])));
  return worst;
}

}  // namespace

TEST(TomoganEnhanceStage, StrengthZeroIsTheIdentity) {
  TempDir dir;
  const std::string report = run_with_strength(dir, 0.0);
  EXPECT_EQ(largest_difference(xrecon::io::read_volume(dir / "enhanced.h5"), xrecon::io::read_volume(dir / "raw.h5")),
            0.0);
  // The input is the truth itself: SSIM 1 before, and after (nothing changed).
  EXPECT_NE(report.find("\"ssim_raw\":1,"), std::string::npos) << report;
  EXPECT_NE(report.find("\"ssim_enhanced\":1}"), std::string::npos) << report;
}

TEST(TomoganEnhanceStage, StrengthOneRunsTheNetworkAndScoresIt) {
  TempDir dir;
  const std::string report = run_with_strength(dir, 1.0);
  // Random weights: the output is not the input, and the report says how far it moved.
  EXPECT_GT(largest_difference(xrecon::io::read_volume(dir / "enhanced.h5"), xrecon::io::read_volume(dir / "raw.h5")),
            1e-3);
  EXPECT_NE(report.find("\"sequence\":0"), std::string::npos) << report;
  EXPECT_EQ(report.find("\"ssim_enhanced\":1}"), std::string::npos) << report;
}

// configs/streaming_sirt_tomogan.yaml: every refresh of the streaming SIRT is enhanced by the
// shipped model, and the enhanced image scores a higher SSIM against the phantom.
TEST(TomoganEnhanceStage, StreamingConfigRaisesSsimOfEveryRefresh) {
  TempDir dir;
  const std::string report = dir / "report.jsonl";
  const CommandResult r = run_command(
      "cd " XRECON_SOURCE_DIR " && " +
      xrecon_command("run configs/streaming_sirt_tomogan.yaml --set enhance.report=" + report +
                     " --set recon.report=" + (dir / "sirt.jsonl") + " --set save_raw.path=" + (dir / "raw.h5") +
                     " --set save_enhanced.path=" + (dir / "enhanced.h5")));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::ifstream in(report);
  std::string line;
  int refreshes = 0;
  while (std::getline(in, line)) {
    const auto value = [&](const std::string& key) {
      const auto at = line.find("\"" + key + "\":");
      EXPECT_NE(at, std::string::npos) << key << " in " << line;
      return std::stod(line.substr(at + key.size() + 3));
    };
    EXPECT_GT(value("ssim_enhanced"), value("ssim_raw") + 0.1) << line;  // measured +0.12 to +0.37
    ++refreshes;
  }
  EXPECT_EQ(refreshes, 6);
}

// prior.tv_denoise in a pipeline: the phantom's total variation falls, and the log says by how much.
TEST(PriorTvStage, DenoisesEachVolume) {
  TempDir dir;
  std::ofstream(dir / "tv.yaml") << "version: 1\nname: tv\ndevices: cpu\nstages:\n"
                                    "  - id: phantom\n    plugin: sim.phantom\n    with: {kind: foam, size: 32, slices: 2}\n"
                                    "  - id: tv\n    plugin: prior.tv_denoise\n    inputs: {volume: phantom.volume}\n"
                                    "    with: {lambda: 0.1}\n"
                                    "  - id: save\n    plugin: io.hdf5_writer\n    inputs: {volume: tv.volume}\n"
                                    "    with: {path: " + (dir / "tv.h5") + ", preview: false}\n";
  const CommandResult r = run_command(xrecon_command("run " + (dir / "tv.yaml")));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("prior.tv_denoise: (2x32x32), TV"), std::string::npos) << r.output;
  EXPECT_EQ(xrecon::io::read_volume(dir / "tv.h5").data.size(), 2u * 32 * 32);
}
