#include <gtest/gtest.h>

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
