#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "xrecon/component.hpp"
#include "xrecon/context.hpp"
#include "xrecon/engine/communicators.hpp"
#include "xrecon/engine/pipeline_spec.hpp"
#include "xrecon/engine/plugin_registry.hpp"
#include "xrecon/params.hpp"

namespace xrecon::engine {

struct PlannedStage {
  std::string id;
  const ComponentSpec* component = nullptr;
  const LoadedPlugin* plugin = nullptr;
  ParamValues params;
  std::map<std::string, PortReference> inputs;  // input port -> producer output
  SourceLocation where;
};

// A pipeline that passed every check: stages in an order where producers come first.
struct Plan {
  PipelineSpec spec;
  std::vector<PlannedStage> stages;
  std::vector<Device> devices;
  // The backend the stages' communicators use, auto resolved (communicators.hpp).
  CommunicatorKind communicator = CommunicatorKind::threads;
};

// Checks a parsed pipeline against the loaded plugins: components exist and are stages,
// parameters match their schema, references name existing stages and ports of the same kind,
// every input is connected, no cycle, devices available, a communicator that this build has and
// that can drive those devices. All problems are reported together.
Plan validate_pipeline(const PipelineSpec& spec, const PluginRegistry& registry,
                       const std::optional<std::string>& devices_override = std::nullopt,
                       const std::optional<std::string>& communicator_override = std::nullopt);

}  // namespace xrecon::engine
