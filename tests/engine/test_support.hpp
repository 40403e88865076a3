#pragma once
#include <string>

#include "xrecon/engine/executor.hpp"
#include "xrecon/engine/pipeline_parser.hpp"
#include "xrecon/engine/plan.hpp"
#include "xrecon/engine/plugin_registry.hpp"

// A registry with the test-only plugins (testkit.*) loaded, shared by the engine tests.
inline xrecon::engine::PluginRegistry& testkit_registry() {
  static xrecon::engine::PluginRegistry* registry = [] {
    auto* r = new xrecon::engine::PluginRegistry;
    r->load_folders({XRECON_TEST_PLUGIN_DIR});
    return r;
  }();
  return *registry;
}

inline xrecon::engine::Plan plan_from(const std::string& yaml) {
  return xrecon::engine::validate_pipeline(xrecon::engine::parse_pipeline_text(yaml, "test.yaml"), testkit_registry());
}
