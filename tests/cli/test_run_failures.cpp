// What a user sees when a run goes wrong after it started: a stage that throws, Ctrl-C, a plugin
// built for another SDK. In every case: one clear message, non-zero exit, no partial output, and
// an older result at the same path left as it was.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>

#include "command.hpp"
#include "xrecon/version.hpp"

namespace fs = std::filesystem;

namespace {

std::string write_pipeline(const TempDir& dir, const std::string& middle_stage, const std::string& with) {
  const std::string path = dir / "pipeline.yaml";
  std::ofstream(path) << "version: 1\nstages:\n"
                         "  - {id: src, plugin: testkit.source, with: {count: 1, size: 16}}\n"
                         "  - {id: middle, plugin: " << middle_stage << ", inputs: {volume: src.volume}, with: " << with
                      << "}\n"
                         "  - {id: save, plugin: io.hdf5_writer, inputs: {volume: middle.volume}, with: {path: "
                      << (dir / "result.h5") << "}}\n";
  return path;
}

bool has_partial_files(const fs::path& dir) {
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().find(".partial-") != std::string::npos) return true;
  return false;
}

const std::string kWithTestPlugins = "XRECON_PLUGIN_PATH=" XRECON_TEST_PLUGIN_DIR " ";

}  // namespace

TEST(RunFailures, ThrowingStageCancelsAndLeavesNoOutput) {
  TempDir dir;
  const std::string pipeline = write_pipeline(dir, "testkit.fail", "{message: \"detector exploded\"}");
  const auto r = run_command(kWithTestPlugins + xrecon_command("run " + pipeline));
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("xrecon: stage 'middle' (testkit.fail): detector exploded"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir / "result.h5"));
  EXPECT_FALSE(has_partial_files(dir.path()));
}

TEST(RunFailures, ExistingResultSurvivesAFailedRun) {
  TempDir dir;
  std::ofstream(dir / "result.h5") << "an earlier result";
  const std::string pipeline = write_pipeline(dir, "testkit.fail", "{}");
  EXPECT_EQ(run_command(kWithTestPlugins + xrecon_command("run " + pipeline)).exit_code, 1);
  std::ifstream in(dir / "result.h5");
  std::string content;
  std::getline(in, content);
  EXPECT_EQ(content, "an earlier result");
}

TEST(RunFailures, CtrlCStopsPromptlyWithExitCode130) {
  TempDir dir;
  const std::string pipeline = write_pipeline(dir, "testkit.endless", "{seconds: 60}");
  const auto start = std::chrono::steady_clock::now();
  const auto r = run_command(kWithTestPlugins + "timeout --preserve-status -s INT 1 " + xrecon_command("run " + pipeline));
  EXPECT_EQ(r.exit_code, 130) << r.output;
  EXPECT_NE(r.output.find("interrupted by the user"), std::string::npos) << r.output;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_FALSE(fs::exists(dir / "result.h5"));
  EXPECT_FALSE(has_partial_files(dir.path()));
}

TEST(RunFailures, PluginForAnotherAbiIsRefusedNamingBothVersions) {
  const std::string env = "XRECON_PLUGIN_PATH=" XRECON_TEST_ABI_PLUGIN_DIR " ";
  const auto listing = run_command(env + xrecon_command("plugins"));
  EXPECT_EQ(listing.exit_code, 0);
  EXPECT_NE(listing.output.find("plugin 'abifuture' built for SDK ABI 99.3, but this engine provides SDK ABI " XRECON_SDK_ABI_STRING),
            std::string::npos)
      << listing.output;

  TempDir dir;
  std::ofstream(dir / "p.yaml") << "version: 1\nstages:\n  - {id: a, plugin: abifuture.stage}\n";
  const auto r = run_command(env + xrecon_command("run " + (dir / "p.yaml")));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("unknown plugin 'abifuture.stage': "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("built for SDK ABI 99.3, but this engine provides SDK ABI " XRECON_SDK_ABI_STRING), std::string::npos) << r.output;
}
