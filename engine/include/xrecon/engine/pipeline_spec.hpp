#pragma once
#include <map>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "xrecon/engine/source_location.hpp"

namespace xrecon::engine {

// "stage.port" as written in a stage's inputs.
struct PortReference {
  std::string stage;
  std::string port;
  SourceLocation where;
};

// One entry of `stages:` as written, before any check against the plugins.
struct StageDeclaration {
  std::string id;
  std::string component;  // the `plugin:` value, e.g. "tomo.sirt"
  SourceLocation where;
  SourceLocation component_where;
  std::map<std::string, PortReference> inputs;  // input port -> producer
  std::map<std::string, SourceLocation> input_where;
  YAML::Node params;  // the `with:` map (may be null)
  SourceLocation params_where;
};

// A pipeline file, parsed: structure only. Everything that needs the plugins is checked by
// the validator, which turns this into a Plan.
struct PipelineSpec {
  std::string path;
  std::string text;  // as run: the file plus a comment line per --set override
  std::string name;
  std::string devices = "auto";
  SourceLocation devices_where;
  std::string communicator = "auto";  // auto | threads | nccl | mpi (communicators.hpp)
  SourceLocation communicator_where;
  std::vector<StageDeclaration> stages;
};

}  // namespace xrecon::engine
