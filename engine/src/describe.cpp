#include "xrecon/engine/describe.hpp"

#include <sstream>

namespace xrecon::engine {

namespace {

std::string joined(const std::vector<std::string>& names) {
  std::string list;
  for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
  return list;
}

// A slot's default is a plugin name; its parameters are that plugin's own defaults.
std::string default_text(const ParamSpec& p) {
  if (p.default_value) {
    if (const auto* c = std::get_if<ComponentChoice>(&*p.default_value)) return c->plugin;
    return to_string(*p.default_value);
  }
  if (p.type == ParamType::component && !p.required) return "(optional: none)";
  return p.required ? "(required)" : "(optional)";
}

std::string type_text(const ParamSpec& p) {
  if (p.type == ParamType::component) return "component (" + std::string(to_string(p.role)) + ")";
  return to_string(p.type);
}

std::string constraint_text(const ParamSpec& p) {
  std::string text;
  if (p.min && p.max) text = "[" + to_string(ParamValue(*p.min)) + ", " + to_string(ParamValue(*p.max)) + "]";
  else if (p.min) text = ">= " + to_string(ParamValue(*p.min));
  else if (p.max) text = "<= " + to_string(ParamValue(*p.max));
  for (const std::string& c : p.choices) text += (text.empty() ? "" : " | ") + c;
  if (p.must_exist) text = "existing file";
  return text;
}

std::string template_value(const ParamSpec& p) {
  if (p.default_value) {
    if (const auto* c = std::get_if<ComponentChoice>(&*p.default_value)) return "{plugin: " + c->plugin + ", with: {}}";
    const std::string v = to_string(*p.default_value);
    return p.type == ParamType::string || p.type == ParamType::path ? "\"" + v + "\"" : v;
  }
  if (p.type == ParamType::component) return "{plugin: NAME, with: {}}";
  return p.type == ParamType::path ? "\"path/to/file\"" : "null";
}

// One `with:` entry of a template. A slot without a default stays commented out unless it is
// required: leaving it out is how a user says "none".
std::string template_line(const ParamSpec& p) {
  std::string line = p.name + ": " + template_value(p);
  if (p.type == ParamType::component && !p.default_value) {
    const std::string what = "a " + std::string(to_string(p.role));
    return p.required ? line + "  # required: " + what : "# " + line + "  # optional: " + what;
  }
  return line + (p.required ? "  # required" : "");
}

void print_ports(std::ostringstream& out, const ComponentSpec& c) {
  out << "\nInputs:\n";
  if (c.inputs.empty()) out << "  (none: a source)\n";
  for (const PortSpec& p : c.inputs)
    out << "  " << p.name << " : " << to_string(p.kind) << (p.optional ? " (optional)" : "") << "  " << p.doc << "\n";
  out << "\nOutputs:\n";
  if (c.outputs.empty()) out << "  (none: a sink)\n";
  for (const PortSpec& p : c.outputs) out << "  " << p.name << " : " << to_string(p.kind) << "  " << p.doc << "\n";
}

void print_params(std::ostringstream& out, const ComponentSpec& c, const PluginRegistry& registry) {
  out << "\nParameters:\n";
  if (c.params.specs().empty()) out << "  (none)\n";
  for (const ParamSpec& p : c.params.specs()) {
    out << "  " << p.name << " (" << type_text(p);
    if (!p.unit.empty()) out << ", " << p.unit;
    out << ") default " << default_text(p);
    if (std::string k = constraint_text(p); !k.empty()) out << ", " << k;
    out << "\n      " << p.doc << "\n";
    if (p.type == ParamType::component) {
      const std::vector<std::string> fits = registry.component_names(p.role);
      out << "      installed " << to_string(p.role) << " plugins: " << (fits.empty() ? "(none)" : joined(fits))
          << "\n";
    }
  }
}

void print_stage_template(std::ostringstream& out, const ComponentSpec& c) {
  out << "\nTemplate:\n";
  out << "  - id: " << c.name.substr(c.name.find('.') + 1) << "\n";
  out << "    plugin: " << c.name << "\n";
  if (!c.inputs.empty()) {
    out << "    inputs:\n";
    for (const PortSpec& p : c.inputs) out << "      " << p.name << ": STAGE.PORT\n";
  }
  if (!c.params.specs().empty()) {
    out << "    with:\n";
    for (const ParamSpec& p : c.params.specs()) out << "      " << template_line(p) << "\n";
  }
}

// Every installed component with a slot of this role: "tomo.admm (slot 'prior')".
struct Host {
  std::string component;
  std::string slot;
};

std::vector<Host> hosts_of(ComponentKind role, const PluginRegistry& registry) {
  std::vector<Host> hosts;
  for (const LoadedPlugin& plugin : registry.plugins())
    for (const ComponentSpec& c : *plugin.components)
      for (const ParamSpec& p : c.params.specs())
        if (p.type == ParamType::component && p.role == role) hosts.push_back({c.name, p.name});
  return hosts;
}

// A role is never a stage of its own: it goes into a host's slot as a nested block.
void print_role_usage(std::ostringstream& out, const ComponentSpec& c, const PluginRegistry& registry) {
  const std::vector<Host> hosts = hosts_of(c.kind, registry);
  std::string with;
  for (const ParamSpec& p : c.params.specs()) with += (with.empty() ? "" : ", ") + p.name + ": " + template_value(p);
  out << "\nUse (a " << to_string(c.kind) << " role: it fills a slot in a host's 'with:', not a stage of its own):\n";
  out << "      " << (hosts.empty() ? "SLOT" : hosts.front().slot) << ": {plugin: " << c.name << ", with: {" << with
      << "}}\n";
  out << "\nHosts (installed components with a " << to_string(c.kind) << " slot):\n";
  if (hosts.empty()) out << "  (none installed)\n";
  for (const Host& h : hosts) out << "  " << h.component << " (slot '" << h.slot << "')\n";
}

}  // namespace

std::string describe_component(const ComponentSpec& c, const LoadedPlugin& plugin, const PluginRegistry& registry) {
  std::ostringstream out;
  out << c.name << " — " << c.summary << "\n";
  out << "  kind:   " << to_string(c.kind) << "\n";
  out << "  plugin: " << plugin.name << " " << plugin.version << " (" << plugin.path.string() << ")\n";
  if (c.kind == ComponentKind::stage) print_ports(out, c);
  print_params(out, c, registry);
  if (c.kind == ComponentKind::stage) print_stage_template(out, c);
  else print_role_usage(out, c, registry);
  return out.str();
}

std::string describe_registry(const PluginRegistry& registry) {
  std::ostringstream out;
  for (const LoadedPlugin& p : registry.plugins()) {
    out << p.name << " " << p.version << "  " << p.path.string() << "\n";
    for (const ComponentSpec& c : *p.components)
      out << "  " << c.name << "  [" << to_string(c.kind) << "]  " << c.summary << "\n";
  }
  if (registry.plugins().empty()) out << "no plugins found (set XRECON_PLUGIN_PATH to a folder of plugins)\n";
  for (const RefusedPlugin& r : registry.refused()) out << "refused: " << r.path.string() << ": " << r.reason << "\n";
  return out.str();
}

}  // namespace xrecon::engine
