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

// `xrecon describe NAME --json`: the same, for programs: name, kind, summary, plugin (name,
// version, file); params (name, type, default, required, doc, bounds {min, min_exclusive, max,
// max_exclusive} or null, choices, unit, must_exist for paths, role and candidates for slots);
// inputs and outputs (name, kind, optional, doc); for a role, its hosts (component, slot).
std::string describe_component_json(const ComponentSpec& component, const LoadedPlugin& plugin,
                                    const PluginRegistry& registry);

// `xrecon plugins`: every loaded plugin with its components, then the refused libraries.
std::string describe_registry(const PluginRegistry& registry);

}  // namespace xrecon::engine
