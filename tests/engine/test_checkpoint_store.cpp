#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "xrecon/engine/run_context.hpp"

using namespace xrecon;
using namespace xrecon::engine;
namespace fs = std::filesystem;

TEST(CheckpointStore, RoundTripOnlyWhenResuming) {
  const fs::path dir = fs::temp_directory_path() / ("xrecon_ckpt_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  ArrayF a({2, 3, 4});
  for (std::size_t i = 0; i < a.size(); ++i) a[i] = float(i) * 0.5f;
  FileCheckpointStore writer(dir, "recon", false);
  writer.save("x", a, 17);
  EXPECT_FALSE(writer.load("x").has_value());  // a fresh run ignores old checkpoints

  FileCheckpointStore reader(dir, "recon", true);
  auto loaded = reader.load("x");
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(loaded->second, 17);
  ASSERT_EQ(loaded->first.shape(), a.shape());
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(loaded->first[i], a[i]);
  EXPECT_FALSE(reader.load("missing").has_value());

  std::ofstream(dir / "recon" / "bad.ckpt") << "garbage";
  EXPECT_THROW(reader.load("bad"), InputError);
  fs::remove_all(dir);
}
