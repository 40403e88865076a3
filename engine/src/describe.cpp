#include "xrecon/engine/describe.hpp"

#include <sstream>

namespace xrecon::engine {

namespace {

std::string default_text(const ParamSpec& p) {
  if (p.default_value) return to_string(*p.default_value);
  return p.required ? "(required)" : "(optional)";
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
    const std::string v = to_string(*p.default_value);
    return p.type == ParamType::string || p.type == ParamType::path ? "\"" + v + "\"" : v;
  }
  return p.type == ParamType::path ? "\"path/to/file\"" : "null";
}

}  // namespace

std::string describe_component(const ComponentSpec& c, const LoadedPlugin& plugin) {
  std::ostringstream out;
  out << c.name << " — " << c.summary << "\n";
  out << "  kind:   " << to_string(c.kind) << "\n";
  out << "  plugin: " << plugin.name << " " << plugin.version << " (" << plugin.path.string() << ")\n";
  if (c.kind == ComponentKind::stage) {
    out << "\nInputs:\n";
    if (c.inputs.empty()) out << "  (none: a source)\n";
    for (const PortSpec& p : c.inputs)
      out << "  " << p.name << " : " << to_string(p.kind) << (p.optional ? " (optional)" : "") << "  " << p.doc << "\n";
    out << "\nOutputs:\n";
    if (c.outputs.empty()) out << "  (none: a sink)\n";
    for (const PortSpec& p : c.outputs) out << "  " << p.name << " : " << to_string(p.kind) << "  " << p.doc << "\n";
  }
  out << "\nParameters:\n";
  if (c.params.specs().empty()) out << "  (none)\n";
  for (const ParamSpec& p : c.params.specs()) {
    out << "  " << p.name << " (" << to_string(p.type);
    if (!p.unit.empty()) out << ", " << p.unit;
    out << ") default " << default_text(p);
    if (std::string k = constraint_text(p); !k.empty()) out << ", " << k;
    out << "\n      " << p.doc << "\n";
  }
  out << "\nTemplate:\n";
  out << "  - id: " << c.name.substr(c.name.find('.') + 1) << "\n";
  out << "    plugin: " << c.name << "\n";
  if (!c.inputs.empty()) {
    out << "    inputs:\n";
    for (const PortSpec& p : c.inputs) out << "      " << p.name << ": STAGE.PORT\n";
  }
  if (!c.params.specs().empty()) {
    out << "    with:\n";
    for (const ParamSpec& p : c.params.specs())
      out << "      " << p.name << ": " << template_value(p) << (p.required ? "  # required" : "") << "\n";
  }
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
