#include "xrecon/engine/describe.hpp"

#include <cctype>
#include <sstream>

#include <nlohmann/json.hpp>

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

std::string number_text(double v) { return to_string(ParamValue(v)); }

// [1, 100000], (0, 2], > 0, <= 1: brackets for an inclusive bound, parentheses for an exclusive one.
std::string bounds_text(const ParamSpec& p) {
  if (p.min && p.max)
    return (p.min_exclusive ? "(" : "[") + number_text(*p.min) + ", " + number_text(*p.max) +
           (p.max_exclusive ? ")" : "]");
  if (p.min) return (p.min_exclusive ? "> " : ">= ") + number_text(*p.min);
  if (p.max) return (p.max_exclusive ? "< " : "<= ") + number_text(*p.max);
  return {};
}

std::string constraint_text(const ParamSpec& p) {
  std::string text = bounds_text(p);
  for (const std::string& c : p.choices) text += (text.empty() ? "" : " | ") + c;
  if (p.must_exist) text = "existing file";
  return text;
}

// What a user must write in place of a value the schema cannot suggest: PATH, NUMBER, ...
std::string placeholder(const ParamSpec& p) {
  if (p.type == ParamType::component) return "{plugin: NAME, with: {}}";
  std::string text = to_string(p.type);
  for (char& ch : text) ch = char(std::toupper(static_cast<unsigned char>(ch)));
  return text;
}

std::string template_value(const ParamSpec& p) {
  if (!p.default_value) return placeholder(p);
  if (const auto* c = std::get_if<ComponentChoice>(&*p.default_value)) return "{plugin: " + c->plugin + ", with: {}}";
  const std::string v = to_string(*p.default_value);
  return p.type == ParamType::string || p.type == ParamType::path ? "\"" + v + "\"" : v;
}

// One `with:` entry of a template, valid as printed: a value, or a commented line for an optional
// parameter without a default (leaving it out is how a user says "none"), or a placeholder the
// user must replace for a required one.
std::string template_line(const ParamSpec& p) {
  const std::string line = p.name + ": " + template_value(p);
  if (p.default_value) return line;
  const std::string what = p.type == ParamType::component ? ": a " + std::string(to_string(p.role)) : "";
  return p.required ? line + "  # required" + what : "# " + line + "  # optional" + what;
}

const char* flow_name(PortFlow flow) {
  switch (flow) {
    case PortFlow::one: return "one";
    case PortFlow::stream: return "stream";
    case PortFlow::as_inputs: return "as_inputs";
  }
  return "one";
}

// " (stream)" and the like after a port's kind; nothing for the usual single message.
std::string flow_note(const PortSpec& p) {
  switch (p.flow) {
    case PortFlow::stream: return " (stream)";
    case PortFlow::as_inputs: return " (one per input message)";
    case PortFlow::one: break;
  }
  return "";
}

void print_ports(std::ostringstream& out, const ComponentSpec& c) {
  out << "\nInputs:\n";
  if (c.inputs.empty()) out << "  (none: a source)\n";
  for (const PortSpec& p : c.inputs)
    out << "  " << p.name << " : " << to_string(p.kind) << flow_note(p) << (p.optional ? " (optional)" : "") << "  "
        << p.doc << "\n";
  out << "\nOutputs:\n";
  if (c.outputs.empty()) out << "  (none: a sink)\n";
  for (const PortSpec& p : c.outputs)
    out << "  " << p.name << " : " << to_string(p.kind) << flow_note(p) << "  " << p.doc << "\n";
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
    for (const PortSpec& p : c.inputs)
      out << "      " << (p.optional ? "# " : "") << p.name << ": STAGE.PORT" << (p.optional ? "  # optional" : "")
          << "\n";
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

// A role is never a stage of its own: it goes into a host's slot as a nested block, so its
// template is that block, indented as an entry of a host stage's `with:`.
void print_role_usage(std::ostringstream& out, const ComponentSpec& c, const PluginRegistry& registry) {
  const std::vector<Host> hosts = hosts_of(c.kind, registry);
  const std::string slot = hosts.empty() ? "SLOT" : hosts.front().slot;
  out << "\nTemplate (a " << to_string(c.kind) << " fills a slot in a host stage's 'with:', not a stage of its own";
  if (!hosts.empty()) out << "; e.g. " << hosts.front().component << "'s '" << slot << "'";
  out << "):\n";
  out << "      " << slot << ":\n        plugin: " << c.name << "\n";
  if (!c.params.specs().empty()) {
    out << "        with:\n";
    for (const ParamSpec& p : c.params.specs()) out << "          " << template_line(p) << "\n";
  }
  // The short form leaves out what has no default and is optional.
  std::string with;
  for (const ParamSpec& p : c.params.specs())
    if (p.default_value || p.required) with += (with.empty() ? "" : ", ") + p.name + ": " + template_value(p);
  out << "  or on one line:\n      " << slot << ": {plugin: " << c.name << ", with: {" << with << "}}\n";
  out << "\nHosts (installed components with a " << to_string(c.kind) << " slot):\n";
  if (hosts.empty()) out << "  (none installed)\n";
  for (const Host& h : hosts) out << "  " << h.component << " (slot '" << h.slot << "')\n";
}

nlohmann::ordered_json value_json(const ParamValue& value) {
  struct Visitor {
    nlohmann::ordered_json operator()(std::int64_t v) const { return v; }
    nlohmann::ordered_json operator()(double v) const { return v; }
    nlohmann::ordered_json operator()(bool v) const { return v; }
    nlohmann::ordered_json operator()(const std::string& v) const { return v; }
    nlohmann::ordered_json operator()(const ComponentChoice& c) const { return c.plugin; }
  };
  return std::visit(Visitor{}, value);
}

nlohmann::ordered_json param_json(const ParamSpec& p, const PluginRegistry& registry) {
  nlohmann::ordered_json j = {{"name", p.name},
                      {"type", to_string(p.type)},
                      {"default", p.default_value ? value_json(*p.default_value) : nlohmann::ordered_json()},
                      {"required", p.required},
                      {"doc", p.doc}};
  if (p.min || p.max)
    j["bounds"] = {{"min", p.min ? nlohmann::ordered_json(*p.min) : nlohmann::ordered_json()},
                   {"min_exclusive", p.min_exclusive},
                   {"max", p.max ? nlohmann::ordered_json(*p.max) : nlohmann::ordered_json()},
                   {"max_exclusive", p.max_exclusive}};
  else j["bounds"] = nullptr;
  j["choices"] = p.choices;
  if (!p.unit.empty()) j["unit"] = p.unit;
  if (p.type == ParamType::path) j["must_exist"] = p.must_exist;
  if (p.type == ParamType::component) {
    j["role"] = to_string(p.role);
    j["candidates"] = registry.component_names(p.role);
  }
  return j;
}

nlohmann::ordered_json ports_json(const std::vector<PortSpec>& ports) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const PortSpec& p : ports)
    list.push_back({{"name", p.name},
                    {"kind", std::string(to_string(p.kind))},
                    {"optional", p.optional},
                    {"flow", flow_name(p.flow)},
                    {"doc", p.doc}});
  return list;
}

}  // namespace

std::string describe_component_json(const ComponentSpec& c, const LoadedPlugin& plugin,
                                    const PluginRegistry& registry) {
  nlohmann::ordered_json j = {{"name", c.name},
                      {"kind", to_string(c.kind)},
                      {"summary", c.summary},
                      {"plugin", {{"name", plugin.name}, {"version", plugin.version}, {"file", plugin.path.string()}}}};
  nlohmann::ordered_json params = nlohmann::ordered_json::array();
  for (const ParamSpec& p : c.params.specs()) params.push_back(param_json(p, registry));
  j["params"] = params;
  j["inputs"] = ports_json(c.inputs);
  j["outputs"] = ports_json(c.outputs);
  if (c.kind != ComponentKind::stage) {
    nlohmann::ordered_json hosts = nlohmann::ordered_json::array();
    for (const Host& h : hosts_of(c.kind, registry)) hosts.push_back({{"component", h.component}, {"slot", h.slot}});
    j["hosts"] = hosts;
  }
  return j.dump(2) + "\n";
}

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

namespace {

// "  (shadows FILE)" on the component that is used, "  (shadowed by FILE: not used)" on the other.
std::string shadowing_note(const std::string& component, const std::filesystem::path& file,
                           const PluginRegistry& registry) {
  for (const Shadowing& s : registry.shadowings()) {
    if (s.component != component) continue;
    if (s.winner == file) return "  (shadows " + s.shadowed.string() + ")";
    if (s.shadowed == file) return "  (shadowed by " + s.winner.string() + ": not used)";
  }
  return {};
}

}  // namespace

std::string describe_registry(const PluginRegistry& registry) {
  std::ostringstream out;
  for (const LoadedPlugin& p : registry.plugins()) {
    out << p.name << " " << p.version << "  " << p.path.string() << "\n";
    for (const ComponentSpec& c : *p.components)
      out << "  " << c.name << "  [" << to_string(c.kind) << "]  " << c.summary
          << shadowing_note(c.name, p.path, registry) << "\n";
  }
  if (registry.plugins().empty()) out << "no plugins found (set XRECON_PLUGIN_PATH to a folder of plugins)\n";
  for (const RefusedPlugin& r : registry.refused()) out << "refused: " << r.path.string() << ": " << r.reason << "\n";
  for (const PluginWarning& w : registry.warnings()) out << "warning: " << w.path.string() << ": " << w.reason << "\n";
  return out.str();
}

}  // namespace xrecon::engine
