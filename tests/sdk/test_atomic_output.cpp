#include <gtest/gtest.h>

#include <fstream>

#include "xrecon/atomic_output.hpp"

namespace fs = std::filesystem;
using xrecon::AtomicOutput;

namespace {
fs::path fresh_dir() {
  const fs::path d = fs::temp_directory_path() / ("xrecon_atomic_" + std::to_string(::getpid()));
  fs::remove_all(d);
  return d;
}
std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::string s;
  std::getline(in, s);
  return s;
}
}  // namespace

TEST(AtomicOutput, CommitRenamesIntoPlace) {
  const fs::path dir = fresh_dir();
  {
    AtomicOutput out(dir / "sub" / "r.txt");
    std::ofstream(out.temp_path()) << "new";
    EXPECT_FALSE(fs::exists(dir / "sub" / "r.txt"));
    out.commit();
  }
  EXPECT_EQ(read(dir / "sub" / "r.txt"), "new");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir / "sub"), fs::directory_iterator()), 1);
  fs::remove_all(dir);
}

TEST(AtomicOutput, WithoutCommitNothingChanges) {
  const fs::path dir = fresh_dir();
  fs::create_directories(dir);
  std::ofstream(dir / "r.txt") << "old";
  {
    AtomicOutput out(dir / "r.txt");
    std::ofstream(out.temp_path()) << "half written";
  }
  EXPECT_EQ(read(dir / "r.txt"), "old");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
  fs::remove_all(dir);
}
