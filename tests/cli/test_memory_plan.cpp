// The tomography stages plan their slabs against device memory (docs/architecture.md section 5), here forced
// small through XRECON_MEMORY_LIMIT: SIRT runs a slab in chunks and writes what it writes in one
// piece; CGLS, which couples its slices, refuses up front with the numbers; a budget below one
// slice is refused by both, and no output file is left.
#include <gtest/gtest.h>

#include <filesystem>

#include "command.hpp"
#include "output_difference.hpp"

namespace {

// 6 slices of 64^2 from 90 angles x 64 columns: SIRT holds 118 kB per slice (3 images and 3
// sinograms), CGLS 134 kB (4 images, 3 sinograms).
const std::string kSmall = " --set phantom.size=64 --set phantom.slices=6 --set scan.angles=90 --set save.preview=false";

CommandResult run(const std::string& config, const std::string& output, const std::string& limit,
                  const std::string& extra = "") {
  const std::string env = limit.empty() ? "" : "XRECON_MEMORY_LIMIT=" + limit + " ";
  return run_command("cd " XRECON_SOURCE_DIR " && " + env +
                     xrecon_command("run configs/" + config + ".yaml --set save.path=" + output + kSmall + extra));
}

TEST(MemoryPlan, SirtInChunksWritesTheOnePieceVolume) {
  TempDir dir;
  const auto whole = run("tomo_sirt", dir / "whole.h5", "", " --set recon.iterations=10");
  ASSERT_EQ(whole.exit_code, 0) << whole.output;
  EXPECT_EQ(whole.output.find("slabs cut"), std::string::npos) << whole.output;
  // 300 kB: 90% of it holds 2 slices, so 3 chunks.
  const auto chunked = run("tomo_sirt", dir / "chunked.h5", "300K", " --set recon.iterations=10");
  ASSERT_EQ(chunked.exit_code, 0) << chunked.output;
  EXPECT_NE(chunked.output.find("tomo.sirt: slabs cut to fit device memory; cpu:0 in 3 chunks of up to 2 slices"),
            std::string::npos)
      << chunked.output;
  EXPECT_EQ(largest_difference(dir / "whole.h5", dir / "chunked.h5"), 0.0) << "slices are independent";
}

TEST(MemoryPlan, CglsRefusesASlabThatDoesNotFitWhole) {
  TempDir dir;
  const auto r = run("tomo_cgls", dir / "cgls.h5", "300K");
  EXPECT_NE(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("tomo.cgls needs"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("couples all slices"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("XRECON_MEMORY_LIMIT applied"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "cgls.h5"));
}

TEST(MemoryPlan, ABudgetBelowOneSliceIsRefused) {
  TempDir dir;
  const auto r = run("tomo_sirt", dir / "sirt.h5", "100K");
  EXPECT_NE(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("not even one slice fits"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "sirt.h5"));
}

TEST(MemoryPlan, TwoRanksOnTheHostShareTheBudget) {
  TempDir dir;
  // 600 kB shared by two CPU ranks: 270 kB each, 2 slices per chunk of each 3-slice slab.
  const auto r = run("tomo_sirt", dir / "sirt.h5", "600K", " --set recon.iterations=2 --devices cpu:2");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("cpu:0 in 2 chunks of up to 2 slices"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("shared by 2 ranks"), std::string::npos) << r.output;
}

}  // namespace

// Issue 13: the limit is checked at validate, before anything runs, and an infinite one is not
// read as 0 bytes.
TEST(MemoryPlan, AnInfiniteLimitIsRefusedAtValidate) {
  const auto r = run_command("cd " XRECON_SOURCE_DIR " && XRECON_MEMORY_LIMIT=inf " +
                             xrecon_command("validate configs/tomo_sirt.yaml"));
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("XRECON_MEMORY_LIMIT='inf': expected a finite number of bytes"), std::string::npos)
      << r.output;
}
