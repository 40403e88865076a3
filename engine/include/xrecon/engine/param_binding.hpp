#pragma once
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "xrecon/component.hpp"
#include "xrecon/engine/diagnostics.hpp"
#include "xrecon/engine/plugin_registry.hpp"
#include "xrecon/params.hpp"

namespace xrecon::engine {

// Turns a stage's `with:` map into checked values: unknown keys, missing required keys, wrong
// types, out-of-range numbers, unknown choices and missing input files are reported at their
// line and column; defaults fill what was left out; the component's own cross-checks run last.
// A role slot (ParamType::component), written `NAME` or `{plugin: NAME, with: {...}}`, is
// resolved in `registry`, checked to implement the slot's role, and its own `with:` is bound the
// same way (recursively); a default plugin gets its default parameters. The slot's value is a
// ComponentChoice whose `with` holds those bound parameters.
ParamValues bind_params(const ComponentSpec& component, const YAML::Node& with, const SourceLocation& with_where,
                        const std::string& file, const PluginRegistry& registry, Diagnostics& diag);

// Binds values given in code (a composite solver creating a nested role) against a schema;
// throws InputError. A role slot takes a ComponentChoice (its plugin and parameters re-bound
// against `registry`) or a plugin name.
ParamValues bind_params(const ComponentSpec& component, const ParamValues& given, const PluginRegistry& registry);

// The closest name within two edits, or empty.
std::string closest_name(const std::string& name, const std::vector<std::string>& candidates);

// "unknown plugin 'NAME'" with the most useful hint: why a library that would provide it was
// refused, a close installed name, or where to look.
std::string unknown_plugin_message(const std::string& name, const PluginRegistry& registry);

}  // namespace xrecon::engine
