// Issue 13, data loss: a run that fails anywhere leaves every older result as it was (writers'
// files are put in place together once the whole run succeeded), a failed run keeps its report
// lines beside the older report, and what a SIGKILL left behind is cleaned up on the next run.
#include <gtest/gtest.h>

#include <fstream>

#include "hostile.hpp"

namespace fs = std::filesystem;
using hostile::file_bytes;
using hostile::has_partial_files;

namespace {

const std::string kWithTestPlugins = "XRECON_PLUGIN_PATH=" XRECON_TEST_PLUGIN_DIR " ";

}  // namespace

// The writer finishes first; a stage beside it fails afterwards. The old file must survive.
TEST(DataLoss, AStageFailingAfterAWriterFinishedLeavesTheOlderResult) {
  TempDir dir;
  std::ofstream(dir / "result.h5") << "an earlier result";
  std::ofstream(dir / "pipeline.yaml")
      << "version: 1\nstages:\n"
         "  - {id: src, plugin: testkit.source, with: {count: 1, size: 8}}\n"
         "  - {id: save, plugin: io.hdf5_writer, inputs: {volume: src.volume}, with: {path: "
      << (dir / "result.h5")
      << ", preview: false}}\n"
         "  - {id: slow, plugin: testkit.endless, inputs: {volume: src.volume}, with: {seconds: 1}}\n"
         "  - {id: boom, plugin: testkit.fail, inputs: {volume: slow.volume}, with: {message: \"late failure\"}}\n";
  const auto r = run_command(kWithTestPlugins + xrecon_command("run " + (dir / "pipeline.yaml")));
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("io.hdf5_writer: wrote"), std::string::npos) << "the writer had finished\n" << r.output;
  EXPECT_NE(r.output.find("late failure"), std::string::npos) << r.output;
  EXPECT_EQ(file_bytes(dir / "result.h5"), "an earlier result");
  EXPECT_FALSE(has_partial_files(dir.path()));
}

// The volume is written, then its preview cannot be: neither replaces the older files.
TEST(DataLoss, AFailedPreviewLeavesTheOlderVolume) {
  TempDir dir;
  std::ofstream(dir / "result.h5") << "an earlier result";
  fs::create_directory(dir / "result.png");  // the preview's path is taken by a folder
  std::ofstream(dir / "pipeline.yaml") << "version: 1\nstages:\n"
                                          "  - {id: src, plugin: sim.phantom, with: {size: 16}}\n"
                                          "  - {id: save, plugin: io.hdf5_writer, inputs: {volume: src.volume}, "
                                          "with: {path: "
                                       << (dir / "result.h5") << ", preview: true}}\n";
  const auto r = run_command(xrecon_command("run " + (dir / "pipeline.yaml")));
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_EQ(file_bytes(dir / "result.h5"), "an earlier result");
  EXPECT_FALSE(has_partial_files(dir.path()));
}

// A SIGKILLed run leaves FILE.partial-PID-N behind; the next run removes it and says so.
TEST(DataLoss, TemporariesOfDeadProcessesAreRemovedAndNamed) {
  TempDir dir;
  const fs::path stale = dir / "result.h5.partial-4194303-0";  // above any running pid here
  std::ofstream(stale) << "half a file";
  std::ofstream(dir / "pipeline.yaml") << hostile::phantom_pipeline(dir / "result.h5");
  const auto r = run_command(xrecon_command("run " + (dir / "pipeline.yaml")));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_NE(r.output.find("removed " + stale.string() + ", left by process 4194303, which is no longer running"),
            std::string::npos)
      << r.output;
  EXPECT_TRUE(fs::exists(dir / "result.h5"));
}

// Two writers of one file, a folder as an output, a path below a file: refused at validate.
TEST(DataLoss, OutputsThatCannotBeWrittenAreRefusedAtValidate) {
  TempDir dir;
  std::ofstream(dir / "a_file") << "x";
  const auto pipeline = [&](const std::string& first, const std::string& second) {
    std::ofstream(dir / "p.yaml") << "version: 1\nstages:\n"
                                     "  - {id: src, plugin: sim.phantom, with: {size: 16}}\n"
                                     "  - {id: one, plugin: io.hdf5_writer, inputs: {volume: src.volume}, with: {path: "
                                  << first
                                  << "}}\n"
                                     "  - {id: two, plugin: io.hdf5_writer, inputs: {volume: src.volume}, with: {path: "
                                  << second << "}}\n";
    return run_command(xrecon_command("validate " + (dir / "p.yaml")));
  };
  const auto same = pipeline(dir / "r.h5", (dir.path() / "." / "r.h5").string());
  EXPECT_EQ(same.exit_code, 1);
  EXPECT_NE(same.output.find("output 'path' of stage 'two' is the same file as output 'path' of stage 'one'"),
            std::string::npos)
      << same.output;
  const auto folder = pipeline(dir.path().string(), dir / "r.h5");
  EXPECT_EQ(folder.exit_code, 1);
  EXPECT_NE(folder.output.find("is a folder; give a file name"), std::string::npos) << folder.output;
  const auto below_file = pipeline((dir.path() / "a_file" / "r.h5").string(), dir / "r.h5");
  EXPECT_EQ(below_file.exit_code, 1);
  EXPECT_NE(below_file.output.find("a_file is a file, not a folder"), std::string::npos) << below_file.output;
}
