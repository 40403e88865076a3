// A full disk while an HDF5 result is written: the run says which file could not be written and
// exits 1, rather than printing HDF5's error stack and then crashing at exit (HDF5 1.10's
// shutdown on a file whose close failed). The older result stays as it was.
#include "hostile.hpp"

using namespace hostile;

// A full disk without root: a file-size limit (ulimit -f, in 512-byte blocks) makes writes past
// it fail with EFBIG, as ENOSPC would, once SIGXFSZ (which would kill the process) is ignored.
// 64 KiB is past the pipeline file and the HDF5 header but far short of the 64^3 float volume.
TEST(DiskFull, AResultThatDoesNotFitFailsNamingTheFileAndKeepsTheOlderOne) {
  TempDir dir;
  const fs::path output = dir / "result.h5";
  write_older_output(output);
  std::ofstream(dir / "p.yaml") << phantom_pipeline(output, "", "phantom.volume", 64);
  const CommandResult r = run_command("trap '' XFSZ && ulimit -f 128 && " + xrecon_command("run " + (dir / "p.yaml")));
  // The limit is met while writing /volume or, with HDF5's caching, only when closing the file.
  expect_clean_failure(r, output.string() + ": cannot ");
  EXPECT_NE(r.output.find("File too large"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("HDF5-DIAG"), std::string::npos) << "HDF5 printed its own error stack:\n" << r.output;
  EXPECT_EQ(file_bytes(output), "an older result\n");
  EXPECT_FALSE(has_partial_files(dir.path()));
}
