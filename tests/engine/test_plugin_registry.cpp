#include <gtest/gtest.h>

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

TEST(PluginRegistry, CompatibilityRules) {
  const std::string tag = XRECON_BUILD_TAG;
  EXPECT_EQ(check_plugin_compatibility(XRECON_SDK_ABI_MAJOR, XRECON_SDK_ABI_MINOR, tag), "");
  EXPECT_NE(check_plugin_compatibility(XRECON_SDK_ABI_MAJOR, XRECON_SDK_ABI_MINOR + 1, tag), "");
  EXPECT_NE(check_plugin_compatibility(XRECON_SDK_ABI_MAJOR, XRECON_SDK_ABI_MINOR, "gcc-4;libstdc++-abi0"), "");
  // A plugin that uses the CUDA runtime is fine with an engine that does not.
  EXPECT_EQ(check_plugin_compatibility(XRECON_SDK_ABI_MAJOR, XRECON_SDK_ABI_MINOR, tag + ";cudart-13000"), "");
}
