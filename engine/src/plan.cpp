#include "xrecon/engine/plan.hpp"

#include <map>
#include <set>

#include "xrecon/engine/devices.hpp"
#include "xrecon/engine/output_paths.hpp"
#include "xrecon/engine/param_binding.hpp"
#include "xrecon/memory.hpp"

namespace xrecon::engine {

namespace {

const PortSpec* find_port(const std::vector<PortSpec>& ports, const std::string& name) {
  for (const PortSpec& p : ports)
    if (p.name == name) return &p;
  return nullptr;
}

std::string port_list(const std::vector<PortSpec>& ports) {
  if (ports.empty()) return "none";
  std::string list;
  for (const PortSpec& p : ports) list += (list.empty() ? "" : ", ") + p.name + " (" + std::string(to_string(p.kind)) + ")";
  return list;
}

void resolve_component(const StageDeclaration& decl, const PluginRegistry& registry, PlannedStage& stage,
                       Diagnostics& diag) {
  if (decl.component.empty()) return;
  stage.component = registry.find(decl.component);
  stage.plugin = registry.provider(decl.component);
  if (stage.component == nullptr) {
    diag.error(decl.component_where, unknown_plugin_message(decl.component, registry));
    return;
  }
  if (stage.component->kind != ComponentKind::stage) {
    diag.error(decl.component_where, "'" + decl.component + "' is a " + to_string(stage.component->kind) +
                                         " role, not a pipeline stage; use it inside a composite solver");
    stage.component = nullptr;
  }
}

// Whether `output` of `producer` may send more than one message: a stream port does; a filter's
// (PortFlow::as_inputs) does when a stream reaches any of its stream inputs. `visiting` stops at
// a cycle, which is reported on its own.
bool sends_stream(const PlannedStage& producer, const PortSpec& output,
                  const std::map<std::string, PlannedStage*>& by_id, std::set<const PlannedStage*>& visiting) {
  if (output.flow != PortFlow::as_inputs) return output.flow == PortFlow::stream;
  if (!visiting.insert(&producer).second) return false;
  for (const auto& [port, ref] : producer.inputs) {
    const PortSpec* input = find_port(producer.component->inputs, port);
    const auto upstream = by_id.find(ref.stage);
    if (!input || input->flow != PortFlow::stream || upstream == by_id.end() || !upstream->second->component)
      continue;
    const PortSpec* upstream_output = find_port(upstream->second->component->outputs, ref.port);
    if (upstream_output && sends_stream(*upstream->second, *upstream_output, by_id, visiting)) return true;
  }
  return false;
}

void check_inputs(const StageDeclaration& decl, const std::map<std::string, PlannedStage*>& by_id,
                  const PlannedStage& stage, Diagnostics& diag) {
  const ComponentSpec& c = *stage.component;
  for (const auto& [port, ref] : decl.inputs) {
    const PortSpec* input = find_port(c.inputs, port);
    if (!input) {
      diag.error(decl.input_where.at(port), "stage '" + decl.id + "' (" + c.name + ") has no input '" + port +
                                                "'; its inputs: " + port_list(c.inputs));
      continue;
    }
    if (ref.stage.empty()) continue;
    const auto producer = by_id.find(ref.stage);
    if (producer == by_id.end()) {
      diag.error(ref.where, "input '" + port + "' refers to unknown stage '" + ref.stage + "'");
      continue;
    }
    if (producer->second->component == nullptr) continue;
    const ComponentSpec& pc = *producer->second->component;
    const PortSpec* output = find_port(pc.outputs, ref.port);
    if (!output) {
      diag.error(ref.where, "stage '" + ref.stage + "' (" + pc.name + ") has no output '" + ref.port +
                                "'; its outputs: " + port_list(pc.outputs));
      continue;
    }
    if (output->kind != input->kind) {
      diag.error(ref.where, "port kind mismatch: input '" + port + "' of stage '" + decl.id + "' (" + c.name +
                                ") takes " + std::string(to_string(input->kind)) + ", but '" + ref.stage + "." +
                                ref.port + "' produces " + std::string(to_string(output->kind)));
      continue;
    }
    std::set<const PlannedStage*> visiting;
    if (input->flow != PortFlow::stream && sends_stream(*producer->second, *output, by_id, visiting))
      diag.error(ref.where, "input '" + port + "' of stage '" + decl.id + "' (" + c.name +
                                ") takes one message, but '" + ref.stage + "." + ref.port + "' (" + pc.name +
                                ") sends a stream: the stage would use the first message only; connect a stage "
                                "that reads a stream (see `xrecon describe " + pc.name + "`)");
  }
  for (const PortSpec& input : c.inputs)
    if (!input.optional && !decl.inputs.count(input.name))
      diag.error(decl.where, "stage '" + decl.id + "' (" + c.name + ") needs input '" + input.name + "' (" +
                                 std::string(to_string(input.kind)) + "): add it under 'inputs:'");
}

// Kahn's algorithm; what is left over lies on (or behind) a cycle.
std::vector<std::size_t> producer_first_order(const std::vector<StageDeclaration>& decls, Diagnostics& diag) {
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < decls.size(); ++i) index[decls[i].id] = i;
  std::vector<std::set<std::size_t>> consumers(decls.size());
  std::vector<std::size_t> waiting(decls.size(), 0);
  for (std::size_t i = 0; i < decls.size(); ++i) {
    std::set<std::size_t> producers;
    for (const auto& [port, ref] : decls[i].inputs)
      if (auto it = index.find(ref.stage); it != index.end()) producers.insert(it->second);
    waiting[i] = producers.size();
    for (std::size_t p : producers) consumers[p].insert(i);
  }
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < decls.size(); ++i)
    if (waiting[i] == 0) order.push_back(i);
  for (std::size_t k = 0; k < order.size(); ++k)
    for (std::size_t c : consumers[order[k]])
      if (--waiting[c] == 0) order.push_back(c);
  if (order.size() != decls.size()) {
    // Walk producer links from a stuck stage until a stage repeats: that loop is the cycle.
    std::size_t at = 0;
    while (waiting[at] == 0) ++at;
    std::vector<std::size_t> path;
    std::set<std::size_t> on_path;
    while (!on_path.count(at)) {
      path.push_back(at);
      on_path.insert(at);
      for (const auto& [port, ref] : decls[at].inputs)
        if (auto it = index.find(ref.stage); it != index.end() && waiting[it->second] != 0) {
          at = it->second;
          break;
        }
    }
    std::string cycle;
    bool inside = false;
    for (std::size_t s : path) {
      if (s == at) inside = true;
      if (inside) cycle += decls[s].id + " <- ";
    }
    diag.error(decls[at].where, "the stages form a cycle: " + cycle + decls[at].id);
  }
  return order;
}

}  // namespace

Plan validate_pipeline(const PipelineSpec& spec, const PluginRegistry& registry,
                       const std::optional<std::string>& devices_override,
                       const std::optional<std::string>& communicator_override) {
  // Environment values that shape the run are checked here too, before any stage starts.
  memory_limit_from_environment();
  Diagnostics diag;
  Plan plan;
  plan.spec = spec;
  std::vector<PlannedStage> stages(spec.stages.size());
  std::map<std::string, PlannedStage*> by_id;
  for (std::size_t i = 0; i < spec.stages.size(); ++i) {
    const StageDeclaration& decl = spec.stages[i];
    PlannedStage& stage = stages[i];
    stage.id = decl.id;
    stage.where = decl.where;
    stage.inputs = decl.inputs;
    resolve_component(decl, registry, stage, diag);
    if (stage.component)
      stage.params = bind_params(*stage.component, decl.params, decl.params_where, spec.path, registry, diag);
    by_id[decl.id] = &stage;
  }
  for (std::size_t i = 0; i < spec.stages.size(); ++i)
    if (stages[i].component) check_inputs(spec.stages[i], by_id, stages[i], diag);
  {
    std::vector<const ComponentSpec*> components;
    std::vector<const ParamValues*> params;
    for (const PlannedStage& s : stages) components.push_back(s.component), params.push_back(&s.params);
    check_outputs_spare_inputs(spec, components, params, registry, diag);
  }
  const std::vector<std::size_t> order = producer_first_order(spec.stages, diag);

  const std::string communicator = communicator_override.value_or(spec.communicator);
  const SourceLocation communicator_where = communicator_override      ? SourceLocation{"--communicator"}
                                            : spec.communicator_where.line ? spec.communicator_where
                                                                           : SourceLocation{spec.path, 1, 1};
  const std::optional<CommunicatorKind> requested = parse_communicator_kind(communicator);
  if (!requested)
    diag.error(communicator_where, "communicator '" + communicator + "': expected auto, threads, nccl or mpi");

  const std::string devices = devices_override.value_or(spec.devices);
  const SourceLocation devices_where = devices_override ? SourceLocation{"--devices"}
                                       : spec.devices_where.line ? spec.devices_where
                                                                 : SourceLocation{spec.path, 1, 1};
  bool devices_ok = false;
  try {
    plan.devices = parse_devices(devices, requested != CommunicatorKind::nccl);
    devices_ok = true;
  } catch (const Error& e) {
    diag.error(devices_where, e.message());
  }
  if (requested && devices_ok) {
    try {
      plan.communicator = resolve_communicator(*requested, plan.devices);
    } catch (const Error& e) {
      diag.error(communicator_where, e.message());
    }
  }
  diag.throw_if_any();
  for (std::size_t i : order) plan.stages.push_back(std::move(stages[i]));
  return plan;
}

}  // namespace xrecon::engine
