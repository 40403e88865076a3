#pragma once
#include <string>
#include <vector>

#include "xrecon/engine/pipeline_spec.hpp"
#include "xrecon/error.hpp"

namespace xrecon::engine {

// A `--set stage.param=value` from the command line; keys inside a role slot are dotted
// (`recon.tomo.with.iterations=4`, `recon.prior.plugin=prior.tv`). The value is read as YAML
// (numbers, booleans, strings, maps).
struct ParamOverride {
  std::string stage;
  std::vector<std::string> key_path;
  std::string value;
  std::string text;  // as given, for messages
};

ParamOverride parse_override(const std::string& text);

// Reads and parses a pipeline file; structural errors (bad YAML, unknown or missing keys,
// wrong shapes) are reported with file:line:column in one InputError.
PipelineSpec parse_pipeline_file(const std::string& path, const std::vector<ParamOverride>& overrides = {});
PipelineSpec parse_pipeline_text(const std::string& text, const std::string& path,
                                 const std::vector<ParamOverride>& overrides = {});

// The location of a node (yaml-cpp marks are 0-based; ours are 1-based).
SourceLocation location_of(const YAML::Node& node, const std::string& file);

// The name a map key gives. YAML allows a list, a map or nothing as a key; a pipeline does not
// (the parser reports each such key at its line), and those read as "(a list)" and the like here
// instead of throwing yaml-cpp's conversion error.
std::string key_text(const YAML::Node& key);

}  // namespace xrecon::engine
