#pragma once
#include <vector>

#include "xrecon/engine/diagnostics.hpp"
#include "xrecon/engine/pipeline_spec.hpp"
#include "xrecon/engine/plugin_registry.hpp"
#include "xrecon/params.hpp"

namespace xrecon::engine {

// Refuses, at the output's line, any output file of a stage (a path parameter that is not an
// existing input, nested role blocks included) that names the pipeline file itself or one of the
// pipeline's input files: a run must never write over its input. `params[i]` are the bound
// values of `spec.stages[i]` with `components[i]` its schema (null when it did not resolve).
void check_outputs_spare_inputs(const PipelineSpec& spec, const std::vector<const ComponentSpec*>& components,
                                const std::vector<const ParamValues*>& params, const PluginRegistry& registry,
                                Diagnostics& diag);

}  // namespace xrecon::engine
