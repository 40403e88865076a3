#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "command.hpp"
#include "xrecon/version.hpp"

TEST(Commands, Version) {
  const auto r = run_command(xrecon_command("--version"));
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.output.find("xrecon 0.1.0 (SDK ABI " XRECON_SDK_ABI_STRING), std::string::npos) << r.output;
}

TEST(Commands, PluginsListsTheShippedComponents) {
  const auto r = run_command(xrecon_command("plugins"));
  EXPECT_EQ(r.exit_code, 0);
  for (const char* name : {"sim.phantom", "sim.tomo", "tomo.fbp", "tomo.sirt", "io.dxchange", "io.hdf5_writer",
                           "prep.normalize", "prep.find_center", "sim.ptycho", "ptycho.cg", "io.cxi", "io.cxi_writer"})
    EXPECT_NE(r.output.find(std::string("  ") + name + "  [stage]"), std::string::npos) << name << "\n" << r.output;
  EXPECT_EQ(r.output.find("refused"), std::string::npos) << r.output;
}

TEST(Commands, DescribePrintsSchemaAndTemplate) {
  const auto r = run_command(xrecon_command("describe tomo.sirt"));
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.output.find("projections : Projections"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("iterations (integer) default 100, [1, 100000]"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("    plugin: tomo.sirt\n    inputs:\n      projections: STAGE.PORT\n"), std::string::npos)
      << r.output;
  const auto unknown = run_command(xrecon_command("describe tomo.nothing"));
  EXPECT_EQ(unknown.exit_code, 1);
}

// Role slots through the command: describe shows a slot and what fills it, --set reaches into
// the nested block, and a run creates the chosen prior (test plugins: test.host, test.scale_prior).
TEST(Commands, RoleSlotsDescribeSetAndRun) {
  const std::string env = "XRECON_PLUGIN_PATH=" XRECON_TEST_PLUGIN_DIR " ";
  auto r = run_command(env + xrecon_command("describe test.host"));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("prior (component (Prior)) default test.scale_prior"), std::string::npos) << r.output;
  const std::size_t fits = r.output.find("installed Prior plugins: ");
  ASSERT_NE(fits, std::string::npos) << r.output;
  const std::string fits_line = r.output.substr(fits, r.output.find('\n', fits) - fits);
  for (const char* name : {"prior.tv", "test.scale_prior", "test.chain_prior"})
    EXPECT_NE(fits_line.find(name), std::string::npos) << name << " missing from: " << fits_line;
  EXPECT_NE(r.output.find("      prior: {plugin: test.scale_prior, with: {}}\n"), std::string::npos) << r.output;
  r = run_command(env + xrecon_command("describe prior.tv"));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("prior: {plugin: prior.tv, with: {lambda: "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("test.host (slot 'prior')"), std::string::npos) << r.output;

  TempDir dir;
  const std::string pipeline = dir / "host.yaml";
  std::ofstream(pipeline) << "version: 1\ndevices: cpu\nstages:\n"
                             "  - {id: src, plugin: testkit.single}\n"
                             "  - {id: host, plugin: test.host, inputs: {volume: src.volume},\n"
                             "     with: {prior: {plugin: test.scale_prior}}}\n"
                             "  - {id: sink, plugin: testkit.sink, inputs: {volume: host.volume}}\n";
  r = run_command(env + xrecon_command("validate " + pipeline + " --set host.prior.with.factor=2"));
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("host.yaml (--set): error: parameter 'factor' of test.scale_prior: value 2 is out of range"),
            std::string::npos)
      << r.output;
  r = run_command(env +
                  xrecon_command("run " + pipeline + " --set host.prior.with.factor=0.25 --set host.tomo=test.noop_solver"));
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

// A user's plugin on XRECON_PLUGIN_PATH that registers tomo.sirt, which the shipped tomo plugin
// owns: refused, naming both files, unless --allow-shadowing; then it runs, with a warning.
TEST(Commands, AComponentNameTwiceIsRefusedUnlessShadowingIsAllowed) {
  namespace fs = std::filesystem;
  const std::string shadow = fs::weakly_canonical(XRECON_SHADOW_PLUGIN_DIR "/xrecon_plugin_shadow.so").string();
  const std::string tomo = fs::weakly_canonical(XRECON_PLUGIN_BUILD_DIR "/xrecon_plugin_tomo.so").string();
  const std::string env = "XRECON_PLUGIN_PATH=" XRECON_SHADOW_PLUGIN_DIR " ";
  TempDir dir;
  const std::string pipeline = dir / "sirt.yaml";
  std::ofstream(pipeline) << "version: 1\ndevices: cpu\nstages:\n"
                             "  - {id: phantom, plugin: sim.phantom, with: {size: 16}}\n"
                             "  - {id: scan, plugin: sim.tomo, inputs: {volume: phantom.volume}, with: {angles: 8}}\n"
                             "  - {id: recon, plugin: tomo.sirt, inputs: {projections: scan.projections}}\n";
  const std::string refusal = shadow + " refused: registers component 'tomo.sirt', which " + tomo + " registers too";
  for (const std::string& command : std::vector<std::string>{"validate " + pipeline, "run " + pipeline, "describe tomo.sirt", "plugins"}) {
    const auto r = run_command(env + xrecon_command(command));
    EXPECT_EQ(r.exit_code, 1) << command << "\n" << r.output;
    EXPECT_NE(r.output.find(refusal), std::string::npos) << command << "\n" << r.output;
    EXPECT_NE(r.output.find("--allow-shadowing"), std::string::npos) << command << "\n" << r.output;
    EXPECT_EQ(r.output.find("running"), std::string::npos) << command << "\n" << r.output;
  }

  const std::string warning = "component 'tomo.sirt' is registered by " + shadow + " and by " + tomo +
                              " (--allow-shadowing): " + shadow + "'s is used";
  auto r = run_command(env + xrecon_command("run " + pipeline + " --allow-shadowing"));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find(warning), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("the shadowing tomo.sirt ran"), std::string::npos) << r.output;
  r = run_command(env + xrecon_command("--allow-shadowing plugins"));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("stand-in for tomo.sirt (test of component name ownership)  (shadows " + tomo + ")\n"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("from a zero start image  (shadowed by " + shadow + ": not used)\n"), std::string::npos)
      << r.output;
}

TEST(Commands, ShippedConfigsValidate) {
  for (const char* config : {"tomo_sirt.yaml", "tomo_fbp.yaml", "tomo_cgls.yaml", "ptycho_cg.yaml", "ptycho_sim_cxi.yaml",
                             "streaming_sirt.yaml"}) {
    const auto r = run_command("cd " XRECON_SOURCE_DIR " && " + xrecon_command(std::string("validate configs/") + config));
    EXPECT_EQ(r.exit_code, 0) << config << "\n" << r.output;
  }
}

TEST(Commands, DevicesListsTheCpuAndExplainsMissingGpus) {
  const auto r = run_command(xrecon_command("devices"));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.rfind("cpu: ", 0), 0u) << r.output;
  EXPECT_NE(r.output.find(" cores, "), std::string::npos) << r.output;
  // Either GPUs with their NVLink cliques, or one line saying why none are shown.
  const bool gpus = r.output.find("NVLink cliques:") != std::string::npos;
  const bool why = r.output.find("no GPUs shown: ") != std::string::npos;
  EXPECT_NE(gpus, why) << r.output;
}
