#pragma once
// A built plugin loaded the way the engine loads it (Boost.DLL), whose stages a test makes with
// parameters bound and checked as the engine binds a pipeline's `with:`.
#include <boost/dll/shared_library.hpp>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include <xrecon/plugin.hpp>
#include <xrecon/stage.hpp>

#include "support/pin_library.hpp"

namespace xrecon::testing {

class LoadedPlugin {
 public:
  // Loads xrecon_plugin_<name>.so from the build's plugin folder.
  explicit LoadedPlugin(const std::string& name)
      : library_(std::string(XRECON_PLUGIN_BUILD_DIR) + "/xrecon_plugin_" + name + ".so",
                 boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local),
        components_(static_cast<const ComponentList*>(
            library_.get_alias<const xrecon_plugin_descriptor*()>(XRECON_PLUGIN_SYMBOL)()->components())) {
    pin_library(library_.location().string());
  }

  const ComponentSpec& spec(const std::string& component) const {
    for (const ComponentSpec& s : *components_)
      if (s.name == component) return s;
    throw std::runtime_error("no component " + component);
  }

  // The schema's defaults with `overrides` on top; throws what spec.check throws.
  ParamValues values(const std::string& component, const std::map<std::string, ParamValue>& overrides = {}) const {
    const ComponentSpec& s = spec(component);
    ParamValues v;
    for (const ParamSpec& p : s.params.specs())
      if (p.default_value) v.set(p.name, *p.default_value);
    for (const auto& [name, value] : overrides) v.set(name, value);
    if (s.check) s.check(v);
    return v;
  }

  std::unique_ptr<Stage> stage(const std::string& component,
                               const std::map<std::string, ParamValue>& overrides = {}) const {
    std::unique_ptr<Component> made = spec(component).create(values(component, overrides));
    auto* stage = dynamic_cast<Stage*>(made.get());
    if (!stage) throw std::runtime_error(component + " is not a stage");
    made.release();
    return std::unique_ptr<Stage>(stage);
  }

 private:
  boost::dll::shared_library library_;
  const ComponentList* components_;
};

}  // namespace xrecon::testing
