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

// Issue 13: a checkpoint is used only by the computation it belongs to.
namespace {

std::shared_ptr<Volume> volume_of(float value) {
  auto v = std::make_shared<Volume>();
  v->data = ArrayF::zeros({1, 2, 2});
  v->data[3] = value;
  return v;
}

std::string load_error(FileCheckpointStore& store, const std::string& key) {
  try {
    store.load(key);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST(CheckpointStore, RefusesACheckpointOfOtherSettingsOrInputs) {
  const fs::path dir = fs::temp_directory_path() / ("xrecon_ckpt_id_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  const std::string params = "iterations: 20\nrelaxation: 1\ncheckpoint_every: 10\n";
  FileCheckpointStore writer(dir, "recon", false, "tomo.sirt", params);
  writer.note_input("projections", *volume_of(1.0f));
  writer.save("x", ArrayF::zeros({2}), 10);

  // The same computation run further: iterations and checkpoint_every may change.
  FileCheckpointStore same(dir, "recon", true, "tomo.sirt", "iterations: 50\nrelaxation: 1\ncheckpoint_every: 5\n");
  same.note_input("projections", *volume_of(1.0f));
  ASSERT_TRUE(same.load("x").has_value());
  EXPECT_EQ(same.load("x")->second, 10);

  FileCheckpointStore other_parameter(dir, "recon", true, "tomo.sirt", "iterations: 20\nrelaxation: 1.5\n");
  other_parameter.note_input("projections", *volume_of(1.0f));
  const std::string parameter_error = load_error(other_parameter, "x");
  EXPECT_NE(parameter_error.find("with other settings ('relaxation: 1' then, 'relaxation: 1.5' now)"),
            std::string::npos)
      << parameter_error;

  FileCheckpointStore other_component(dir, "recon", true, "tomo.cgls", params);
  other_component.note_input("projections", *volume_of(1.0f));
  EXPECT_NE(load_error(other_component, "x").find("'tomo.sirt' then, 'tomo.cgls' now"), std::string::npos);

  FileCheckpointStore other_input(dir, "recon", true, "tomo.sirt", params);
  other_input.note_input("projections", *volume_of(2.0f));
  EXPECT_NE(load_error(other_input, "x").find("was made from other input data"), std::string::npos);
  fs::remove_all(dir);
}

TEST(CheckpointStore, RefusesANegativeStepAndTheOldFormat) {
  const fs::path dir = fs::temp_directory_path() / ("xrecon_ckpt_step_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  FileCheckpointStore writer(dir, "recon", false);
  writer.save("x", ArrayF::zeros({2}), -3);
  FileCheckpointStore reader(dir, "recon", true);
  EXPECT_NE(load_error(reader, "x").find("records step -3, which is negative"), std::string::npos);
  std::ofstream(dir / "recon" / "old.ckpt", std::ios::binary) << "XRCKPT01" << std::string(40, '\0');
  EXPECT_NE(load_error(reader, "old").find("written by an older xrecon"), std::string::npos);
  fs::remove_all(dir);
}
