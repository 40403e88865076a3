#include <gtest/gtest.h>

#include <filesystem>

#include "test_support.hpp"
#include "xrecon/version.hpp"

using namespace xrecon::engine;

TEST(PluginRegistry, LoadsComponentsOfAPlugin) {
  PluginRegistry& r = testkit_registry();
  ASSERT_EQ(r.plugins().size(), 2u);  // test (role slots) and testkit, in file name order
  EXPECT_EQ(r.plugins()[0].name, "test");
  EXPECT_EQ(r.plugins()[1].name, "testkit");
  EXPECT_NE(r.find("testkit.source"), nullptr);
  EXPECT_EQ(r.find("testkit.nothing"), nullptr);
  EXPECT_EQ(r.provider("testkit.sink")->version, "1.0.0");
}

TEST(PluginRegistry, RefusesAnotherAbiNamingBothVersions) {
  PluginRegistry r;
  r.load_folders({XRECON_TEST_ABI_PLUGIN_DIR});
  EXPECT_TRUE(r.plugins().empty());
  ASSERT_EQ(r.refused().size(), 1u);
  EXPECT_EQ(r.refused()[0].reason,
            "plugin 'abifuture' built for SDK ABI 99.3, but this engine provides SDK ABI " XRECON_SDK_ABI_STRING " "
            "(rebuild the plugin against this xrecon)");
}

// Component names are owned: of two files that register tomo.sirt (the tomo plugin and
// tests/cli/plugins/shadow_plugin.cpp), the one nearer the front of the search order is refused,
// naming both, unless shadowing is allowed; then that one wins.
TEST(PluginRegistry, AComponentNameRegisteredTwiceIsRefusedUnlessAllowed) {
  namespace fs = std::filesystem;
  const fs::path shadow = fs::weakly_canonical(XRECON_SHADOW_PLUGIN_DIR "/xrecon_plugin_shadow.so");
  const fs::path tomo = fs::weakly_canonical(XRECON_PLUGIN_BUILD_DIR "/xrecon_plugin_tomo.so");
  for (const bool shadow_first : {true, false}) {
    PluginRegistry r;
    EXPECT_EQ(r.load_library(shadow_first ? shadow : tomo), true);
    // Names are registered from the back of the search order (here the file loaded last): the one
    // nearer the front, which would shadow it, is refused, although it was loaded first.
    EXPECT_EQ(r.load_library(shadow_first ? tomo : shadow), true);
    ASSERT_EQ(r.plugins().size(), 1u);
    EXPECT_EQ(r.plugins()[0].path, shadow_first ? tomo : shadow);
    ASSERT_EQ(r.refused().size(), 1u);
    const RefusedPlugin& refused = r.refused()[0];
    EXPECT_TRUE(refused.shadowing);
    EXPECT_EQ(refused.path, shadow_first ? shadow : tomo);
    EXPECT_NE(refused.reason.find("registers component 'tomo.sirt', which " + (shadow_first ? tomo : shadow).string() +
                                  " registers too"),
              std::string::npos)
        << refused.reason;
    EXPECT_TRUE(r.shadowings().empty());
    try {
      r.require_owned_names();
      ADD_FAILURE() << "no error";
    } catch (const xrecon::InputError& e) {
      EXPECT_NE(std::string(e.what()).find(refused.path.string() + " refused: "), std::string::npos) << e.what();
    }
  }

  PluginRegistry allowed(true);
  allowed.load_library(shadow);
  allowed.load_library(tomo);
  EXPECT_EQ(allowed.plugins().size(), 2u);
  EXPECT_TRUE(allowed.refused().empty());
  EXPECT_NO_THROW(allowed.require_owned_names());
  ASSERT_EQ(allowed.shadowings().size(), 1u);
  EXPECT_EQ(allowed.shadowings()[0].component, "tomo.sirt");
  EXPECT_EQ(allowed.shadowings()[0].winner, shadow);
  EXPECT_EQ(allowed.shadowings()[0].shadowed, tomo);
  EXPECT_EQ(allowed.provider("tomo.sirt")->name, "shadow");
  EXPECT_EQ(allowed.provider("tomo.fbp")->name, "tomo");
}

TEST(PluginRegistry, CompatibilityRules) {
  const std::string tag = XRECON_BUILD_TAG;
  EXPECT_EQ(check_plugin_compatibility(XRECON_SDK_ABI_MAJOR, XRECON_SDK_ABI_MINOR, tag), "");
  EXPECT_NE(check_plugin_compatibility(XRECON_SDK_ABI_MAJOR, XRECON_SDK_ABI_MINOR + 1, tag), "");
  EXPECT_NE(check_plugin_compatibility(XRECON_SDK_ABI_MAJOR, XRECON_SDK_ABI_MINOR, "gcc-4;libstdc++-abi0"), "");
  // A plugin that uses the CUDA runtime is fine with an engine that does not.
  EXPECT_EQ(check_plugin_compatibility(XRECON_SDK_ABI_MAJOR, XRECON_SDK_ABI_MINOR, tag + ";cudart-13000"), "");
}
