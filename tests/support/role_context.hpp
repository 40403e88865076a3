#pragma once
// Roles as a host meets them: the built plugin loaded into a PluginRegistry the way the engine
// loads it, and the engine's own StageContext, whose factory binds a role's parameters against
// its schema (defaults filled, bounds checked) when Context::make<Role> creates it.
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <xrecon/engine/run_context.hpp>
#include <xrecon/roles.hpp>

#include "support/fake_context.hpp"

namespace xrecon::testing {

class RoleContext {
 public:
  // Loads xrecon_plugin_<plugin>.so from the build's plugin folder (once per process), with
  // `devices` virtual CPU devices.
  explicit RoleContext(const std::string& plugin, std::size_t devices = 1)
      : devices_(cpu_devices(devices)),
        context_(devices_, token_, registry_with(plugin), Provenance{}, std::nullopt, false, false) {}

  Context& context() { return context_; }

  // context.make<Role>(name, with): what a host does with the block a pipeline file gave its slot.
  template <typename Role>
  std::unique_ptr<Role> make(const std::string& name, const std::map<std::string, ParamValue>& with = {}) {
    ParamValues given;
    for (const auto& [key, value] : with) given.set(key, value);
    return context_.make<Role>(name, given);
  }

 private:
  static engine::PluginRegistry& registry_with(const std::string& plugin) {
    // Never destroyed, like the engine's: the plugins' objects may outlive any scope.
    static auto* registry = new engine::PluginRegistry;
    const std::string path = std::string(XRECON_PLUGIN_BUILD_DIR) + "/xrecon_plugin_" + plugin + ".so";
    if (!registry->load_library(path)) throw std::runtime_error("cannot load " + path);
    return *registry;
  }

  std::vector<Device> devices_;
  CancellationToken token_;
  engine::StageContext context_;
};

}  // namespace xrecon::testing
