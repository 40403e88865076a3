#pragma once
#include <string>

#include <yaml-cpp/yaml.h>

#include "xrecon/component.hpp"
#include "xrecon/engine/diagnostics.hpp"
#include "xrecon/params.hpp"

namespace xrecon::engine {

// Turns a stage's `with:` map into checked values: unknown keys, missing required keys, wrong
// types, out-of-range numbers, unknown choices and missing input files are reported at their
// line and column; defaults fill what was left out; the component's own cross-checks run last.
ParamValues bind_params(const ComponentSpec& component, const YAML::Node& with, const SourceLocation& with_where,
                        const std::string& file, Diagnostics& diag);

// Binds values given in code (a composite solver creating a nested role) against a schema.
ParamValues bind_params(const ComponentSpec& component, const ParamValues& given);

// The closest name within two edits, or empty.
std::string closest_name(const std::string& name, const std::vector<std::string>& candidates);

}  // namespace xrecon::engine
