// One file per validation rule in tests/pipelines/invalid/. Its first line says what the user
// must be told: "# expect: LINE:COL: error: TEXT" (or "# expect: error: TEXT" when the place
// varies). Each must fail with exit code 1, before any work, naming file, line and column.
// The test plugins (testkit.*, test.* with its role slots) are loaded besides the shipped ones.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "command.hpp"

namespace fs = std::filesystem;

namespace {

std::vector<std::string> invalid_files() {
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(fs::path(XRECON_SOURCE_DIR) / "tests/pipelines/invalid"))
    if (e.path().extension() == ".yaml") files.push_back(e.path().filename().string());
  std::sort(files.begin(), files.end());
  return files;
}

std::string expectation(const fs::path& file) {
  std::ifstream in(file);
  std::string first;
  std::getline(in, first);
  const std::string marker = "# expect: ";
  return first.rfind(marker, 0) == 0 ? first.substr(marker.size()) : std::string();
}

class InvalidPipeline : public ::testing::TestWithParam<std::string> {};

}  // namespace

TEST_P(InvalidPipeline, IsRejectedWithFileLineAndColumn) {
  const std::string relative = "tests/pipelines/invalid/" + GetParam();
  const std::string expect = expectation(fs::path(XRECON_SOURCE_DIR) / relative);
  ASSERT_FALSE(expect.empty()) << GetParam() << " has no '# expect:' first line";
  for (const std::string verb : {"validate", "run"}) {
    const CommandResult r = run_command("cd " XRECON_SOURCE_DIR " && XRECON_PLUGIN_PATH=" XRECON_TEST_PLUGIN_DIR " " +
                                        xrecon_command(verb + " " + relative));
    EXPECT_EQ(r.exit_code, 1) << verb << " " << relative << "\n" << r.output;
    const std::string wanted = std::isdigit(static_cast<unsigned char>(expect[0])) ? relative + ":" + expect : expect;
    EXPECT_NE(r.output.find(wanted), std::string::npos) << "expected: " << wanted << "\ngot:\n" << r.output;
    EXPECT_EQ(r.output.find("running"), std::string::npos) << "work started despite the error";
  }
}

INSTANTIATE_TEST_SUITE_P(EachRule, InvalidPipeline, ::testing::ValuesIn(invalid_files()),
                         [](const auto& info) { return fs::path(info.param).stem().string(); });

TEST(InvalidCommandLine, BadOverrideAndMissingFile) {
  CommandResult r = run_command(xrecon_command("validate " XRECON_SOURCE_DIR "/configs/tomo_sirt.yaml --set nosuchstage.x=1"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("--set nosuchstage.x=1: the pipeline has no stage 'nosuchstage'"), std::string::npos) << r.output;
  r = run_command(xrecon_command("validate " XRECON_SOURCE_DIR "/configs/tomo_sirt.yaml --set recon.iterations=-5"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("tomo_sirt.yaml (--set): error: parameter 'iterations' of tomo.sirt: value -5 is out of range"),
            std::string::npos)
      << r.output;
  r = run_command(xrecon_command("run /nonexistent.yaml"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("cannot open pipeline file '/nonexistent.yaml'"), std::string::npos) << r.output;
}
