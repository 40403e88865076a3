#pragma once
#include <string>

#include "xrecon/component.hpp"
#include "xrecon/engine/plugin_registry.hpp"

namespace xrecon::engine {

// `xrecon describe NAME`: the component's summary, ports, parameter table and a YAML template
// a user can paste into a pipeline file (GStreamer's gst-inspect for xrecon). A role slot lists
// the installed plugins that can fill it; a role (not a stage) shows how a host's pipeline entry
// names it, and which installed components host it. Both need the registry.
std::string describe_component(const ComponentSpec& component, const LoadedPlugin& plugin,
                               const PluginRegistry& registry);

// `xrecon plugins`: every loaded plugin with its components, then the refused libraries.
std::string describe_registry(const PluginRegistry& registry);

}  // namespace xrecon::engine
