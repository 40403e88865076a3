#include "xrecon/engine/param_binding.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <optional>
#include <sstream>

#include "xrecon/engine/pipeline_parser.hpp"

namespace xrecon::engine {

namespace {

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string range_text(const ParamSpec& p) {
  const auto fmt = [](double v) { return to_string(ParamValue(v)); };
  if (p.min && p.max && !p.min_exclusive && !p.max_exclusive) return fmt(*p.min) + " .. " + fmt(*p.max);
  std::string text;
  if (p.min) text = (p.min_exclusive ? "> " : ">= ") + fmt(*p.min);
  if (p.max) text += (text.empty() ? "" : " and ") + std::string(p.max_exclusive ? "< " : "<= ") + fmt(*p.max);
  return text;
}

bool out_of_range(const ParamSpec& p, double v) {
  if (p.min && (p.min_exclusive ? v <= *p.min : v < *p.min)) return true;
  return p.max && (p.max_exclusive ? v >= *p.max : v > *p.max);
}

std::optional<double> parse_number(const std::string& text) {
  std::istringstream in(text);
  double v;
  in >> v;
  if (in.fail() || !in.eof()) return std::nullopt;
  return v;
}

// Converts one scalar to the parameter's type; returns an error text when it does not fit.
std::string convert(const ParamSpec& p, const std::string& text, ParamValue& out) {
  switch (p.type) {
    case ParamType::integer: {
      const auto v = parse_number(text);
      if (!v || std::floor(*v) != *v || std::fabs(*v) > 9.0e15) return "expected an integer, found '" + text + "'";
      out = static_cast<std::int64_t>(*v);
      return {};
    }
    case ParamType::real: {
      const auto v = parse_number(text);
      if (!v || !std::isfinite(*v)) return "expected a number, found '" + text + "'";
      out = *v;
      return {};
    }
    case ParamType::boolean:
      if (text == "true" || text == "yes" || text == "on") out = true;
      else if (text == "false" || text == "no" || text == "off") out = false;
      else return "expected true or false, found '" + text + "'";
      return {};
    case ParamType::choice: {
      if (std::find(p.choices.begin(), p.choices.end(), text) == p.choices.end()) {
        std::string list;
        for (const std::string& c : p.choices) list += (list.empty() ? "" : ", ") + c;
        return "'" + text + "' is not one of: " + list;
      }
      out = text;
      return {};
    }
    case ParamType::string:
    case ParamType::path:
      if (text.empty()) return "expected a non-empty " + std::string(to_string(p.type));
      out = text;
      return {};
    case ParamType::component:  // a block, not a scalar: bound by bind_slot
      return "expected a plugin block";
  }
  return "unsupported parameter type";
}

// Range and file checks shared by both binding paths.
std::string check_value(const ParamSpec& p, const ParamValue& value) {
  if (p.min || p.max) {
    const double v = std::holds_alternative<std::int64_t>(value) ? double(std::get<std::int64_t>(value))
                                                                  : std::get<double>(value);
    if (out_of_range(p, v))
      return "value " + to_string(value) + " is out of range (expected " + range_text(p) + ")";
  }
  if (p.must_exist) {
    std::error_code ec;
    if (!std::filesystem::exists(std::get<std::string>(value), ec))
      return "input file '" + std::get<std::string>(value) + "' does not exist";
  }
  return {};
}

std::vector<std::string> names_of(const ParamSchema& schema) {
  std::vector<std::string> names;
  for (const ParamSpec& p : schema.specs()) names.push_back(p.name);
  return names;
}

std::string joined(const std::vector<std::string>& names) {
  std::string list;
  for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
  return list;
}

// Role slots nest (a solver's prior may host a prior of its own); a default that names its own
// host, directly or through others, would otherwise recurse without end.
constexpr int kMaxSlotDepth = 16;

std::string slot_text(const ComponentSpec& host, const ParamSpec& slot) {
  return "slot '" + slot.name + "' of " + host.name;
}

// What could fill a slot of this role, so that a user who named the wrong plugin sees the choice.
std::string candidates_text(ComponentKind role, const PluginRegistry& registry) {
  const std::vector<std::string> names = registry.component_names(role);
  if (names.empty()) return "no " + std::string(to_string(role)) + " plugin is installed";
  return "installed " + std::string(to_string(role)) + " plugins: " + joined(names);
}

// Why `found` cannot fill the slot (a stage, or another role), or empty.
std::string kind_mismatch(const ComponentSpec& found, const ComponentSpec& host, const ParamSpec& slot,
                          const PluginRegistry& registry) {
  if (found.kind == slot.role) return {};
  return "'" + found.name + "' is a " + to_string(found.kind) + ", but " + slot_text(host, slot) + " needs a " +
         to_string(slot.role) + " (" + candidates_text(slot.role, registry) + ")";
}

// Everything the file-binding functions share while walking one stage's parameters.
struct YamlBinding {
  const std::string& file;
  const PluginRegistry& registry;
  Diagnostics& diag;
};

ParamValues bind_yaml(const ComponentSpec& component, const YAML::Node& with, const SourceLocation& with_where,
                      const YamlBinding& b, int depth);

// The chosen plugin's own parameters, bound like a stage's: their errors point at their own lines.
std::optional<ComponentChoice> bind_choice(const ComponentSpec& plugin, const YAML::Node& with,
                                           const SourceLocation& with_where, const YamlBinding& b, int depth) {
  if (depth >= kMaxSlotDepth) {
    b.diag.error(with_where, "role slots nest more than " + std::to_string(kMaxSlotDepth) + " deep at '" +
                                 plugin.name + "' (does a default plugin name its own host?)");
    return std::nullopt;
  }
  ParamValues bound = bind_yaml(plugin, with, with_where, b, depth + 1);
  return ComponentChoice{plugin.name, std::make_shared<const ParamValues>(std::move(bound))};
}

const ComponentSpec* resolve_slot_plugin(const ComponentSpec& host, const ParamSpec& slot, const YAML::Node& name,
                                         const YamlBinding& b) {
  const SourceLocation where = location_of(name, b.file);
  if (!name.IsScalar() || name.Scalar().empty()) {
    b.diag.error(where, slot_text(host, slot) + ": 'plugin' must name a " + to_string(slot.role) + " plugin (" +
                            candidates_text(slot.role, b.registry) + ")");
    return nullptr;
  }
  const ComponentSpec* found = b.registry.find(name.Scalar());
  if (!found) {
    b.diag.error(where, slot_text(host, slot) + ": " + unknown_plugin_message(name.Scalar(), b.registry));
    return nullptr;
  }
  if (std::string why = kind_mismatch(*found, host, slot, b.registry); !why.empty()) {
    b.diag.error(where, why);
    return nullptr;
  }
  return found;
}

// A block holds only `plugin` and `with`; the plugin's parameters go under `with`.
void reject_unknown_slot_keys(const ComponentSpec& host, const ParamSpec& slot, const YAML::Node& block,
                              const YamlBinding& b) {
  for (const auto& kv : block) {
    const std::string key = key_text(kv.first);
    if (key == "plugin" || key == "with") continue;
    std::string message = "unknown key '" + key + "' in " + slot_text(host, slot);
    if (std::string near = closest_name(key, {"plugin", "with"}); !near.empty())
      message += " (did you mean '" + near + "'?)";
    else message += " (expected 'plugin' and 'with'; the plugin's parameters go under 'with')";
    b.diag.error(location_of(kv.first, b.file), message);
  }
}

// One role slot as written: `NAME`, or `{plugin: NAME, with: {...}}` (`with` may be left out).
std::optional<ComponentChoice> bind_slot(const ComponentSpec& host, const ParamSpec& slot, const YAML::Node& node,
                                         const YamlBinding& b, int depth) {
  const SourceLocation where = location_of(node, b.file);
  if (node.IsScalar()) {
    const ComponentSpec* plugin = resolve_slot_plugin(host, slot, node, b);
    return plugin ? bind_choice(*plugin, YAML::Node(), where, b, depth) : std::nullopt;
  }
  if (!node.IsMap()) {
    b.diag.error(where, slot_text(host, slot) + ": expected a plugin name or {plugin: NAME, with: {...}}, found " +
                            (node.IsSequence() ? "a list" : "nothing"));
    return std::nullopt;
  }
  reject_unknown_slot_keys(host, slot, node, b);
  const YAML::Node name = node["plugin"];
  if (!name) {
    std::string message = slot_text(host, slot) + " has no 'plugin' (name the " + to_string(slot.role) + " to use";
    if (slot.default_value)
      message += ", e.g. its default '" + std::get<ComponentChoice>(*slot.default_value).plugin + "'";
    b.diag.error(where, message + ")");
    return std::nullopt;
  }
  const YAML::Node with = node["with"];
  const bool has_with = with && !with.IsNull();
  if (has_with && !with.IsMap()) {
    b.diag.error(location_of(with, b.file), slot_text(host, slot) + ": 'with' must be a map of parameters, found " +
                                                (with.IsSequence() ? "a list" : "'" + with.Scalar() + "'"));
    return std::nullopt;
  }
  const ComponentSpec* plugin = resolve_slot_plugin(host, slot, name, b);
  if (!plugin) return std::nullopt;
  return bind_choice(*plugin, has_with ? with : YAML::Node(), has_with ? location_of(with, b.file) : where, b, depth);
}

// A slot the file left out gets its default plugin with that plugin's default parameters;
// problems with it (not installed) point at the host's `with:`, where the user would fix them.
std::optional<ComponentChoice> bind_default_slot(const ComponentSpec& host, const ParamSpec& slot,
                                                 const SourceLocation& with_where, const YamlBinding& b, int depth) {
  const std::string& name = std::get<ComponentChoice>(*slot.default_value).plugin;
  const ComponentSpec* found = b.registry.find(name);
  if (!found) {
    b.diag.error(with_where, slot_text(host, slot) + ": its default plugin '" + name +
                                 "' is not installed; choose one with '" + slot.name + ": {plugin: NAME}' (" +
                                 candidates_text(slot.role, b.registry) + ")");
    return std::nullopt;
  }
  if (std::string why = kind_mismatch(*found, host, slot, b.registry); !why.empty()) {
    b.diag.error(with_where, "default of " + why);
    return std::nullopt;
  }
  return bind_choice(*found, YAML::Node(), with_where, b, depth);
}

std::optional<ParamValue> bind_scalar(const ComponentSpec& component, const ParamSpec& p, const YAML::Node& node,
                                      const SourceLocation& where, Diagnostics& diag) {
  if (!node.IsScalar()) {
    diag.error(where, "parameter '" + p.name + "' of " + component.name + ": expected a " + to_string(p.type) +
                          ", found a " + (node.IsMap() ? "map" : "list or nothing"));
    return std::nullopt;
  }
  ParamValue value;
  std::string why = convert(p, node.Scalar(), value);
  if (why.empty()) why = check_value(p, value);
  if (!why.empty()) {
    diag.error(where, "parameter '" + p.name + "' of " + component.name + ": " + why);
    return std::nullopt;
  }
  return value;
}

ParamValues bind_yaml(const ComponentSpec& component, const YAML::Node& with, const SourceLocation& with_where,
                      const YamlBinding& b, int depth) {
  ParamValues values;
  std::map<std::string, SourceLocation> where;
  if (with && with.IsMap()) {
    for (const auto& kv : with) {
      const std::string key = key_text(kv.first);
      const ParamSpec* p = component.params.find(key);
      if (!p) {
        std::string message = "unknown parameter '" + key + "' for " + component.name;
        if (std::string near = closest_name(key, names_of(component.params)); !near.empty())
          message += " (did you mean '" + near + "'?)";
        else message += " (see: xrecon describe " + component.name + ")";
        b.diag.error(location_of(kv.first, b.file), message);
        continue;
      }
      // YAML null (`key:`, `key: null`, `--set key=null`) means unset: the default where there is
      // one, otherwise absent (e.g. a slot left empty: no prior). A required parameter still needs a value.
      if (kv.second.IsNull() && !p->required) continue;
      const SourceLocation value_where = location_of(kv.second, b.file);
      where[key] = value_where;
      if (p->type == ParamType::component) {
        if (auto choice = bind_slot(component, *p, kv.second, b, depth)) values.set(key, std::move(*choice));
      } else if (auto value = bind_scalar(component, *p, kv.second, value_where, b.diag)) {
        values.set(key, std::move(*value));
      }
    }
  }
  bool complete = true;
  for (const ParamSpec& p : component.params.specs()) {
    if (values.has(p.name)) continue;
    if (p.type == ParamType::component && p.default_value) {
      // A slot written with errors was reported there; its default would only add noise.
      if (where.count(p.name)) complete = false;
      else if (auto choice = bind_default_slot(component, p, with_where, b, depth))
        values.set(p.name, std::move(*choice));
      else complete = false;
    } else if (p.default_value) {
      values.set(p.name, *p.default_value);
    } else if (p.required) {
      complete = false;
      if (!where.count(p.name))
        b.diag.error(with_where, "missing required parameter '" + p.name + "' for " + component.name + " (" + p.doc + ")");
    }
  }
  if (complete && component.check) {
    try {
      component.check(values);
    } catch (const ParamError& e) {
      const auto it = where.find(e.param());
      b.diag.error(it != where.end() ? it->second : with_where, component.name + ": " + e.message());
    }
  }
  return values;
}

ParamValues bind_given(const ComponentSpec& component, const ParamValues& given, const PluginRegistry& registry,
                       int depth);

// A slot given in code: a ComponentChoice (bound again: it may come from a host's own code, not
// from a checked file) or a plugin name with default parameters.
ComponentChoice bind_given_slot(const ComponentSpec& host, const ParamSpec& slot, const ParamValue& value,
                                const PluginRegistry& registry, int depth) {
  ComponentChoice choice;
  if (const auto* c = std::get_if<ComponentChoice>(&value)) choice = *c;
  else if (const auto* name = std::get_if<std::string>(&value)) choice.plugin = *name;
  else
    throw InputError(slot_text(host, slot) + ": expected a ComponentChoice or a plugin name, found '" +
                     to_string(value) + "'");
  const ComponentSpec* found = registry.find(choice.plugin);
  if (!found) throw InputError(slot_text(host, slot) + ": " + unknown_plugin_message(choice.plugin, registry));
  if (std::string why = kind_mismatch(*found, host, slot, registry); !why.empty()) throw InputError(why);
  if (depth >= kMaxSlotDepth)
    throw InputError("role slots nest more than " + std::to_string(kMaxSlotDepth) + " deep at '" + found->name + "'");
  const ParamValues with = choice.with ? bind_given(*found, *choice.with, registry, depth + 1)
                                       : bind_given(*found, ParamValues{}, registry, depth + 1);
  return ComponentChoice{found->name, std::make_shared<const ParamValues>(with)};
}

ParamValue bind_given_value(const ComponentSpec& component, const ParamSpec& p, const ParamValue& value,
                            const PluginRegistry& registry, int depth) {
  if (p.type == ParamType::component) return bind_given_slot(component, p, value, registry, depth);
  // A block's text would pass as a string parameter; say what went wrong instead.
  if (std::holds_alternative<ComponentChoice>(value))
    throw InputError("parameter '" + p.name + "' of " + component.name + ": expected a " + to_string(p.type) +
                     ", found the role block " + to_string(value));
  ParamValue converted;
  std::string why;
  // Through text a double would keep only 10 digits; a real that is already one goes as it is.
  if (p.type == ParamType::real && std::holds_alternative<double>(value) && std::isfinite(std::get<double>(value)))
    converted = value;
  else why = convert(p, to_string(value), converted);
  if (why.empty()) why = check_value(p, converted);
  if (!why.empty()) throw InputError("parameter '" + p.name + "' of " + component.name + ": " + why);
  return converted;
}

ParamValues bind_given(const ComponentSpec& component, const ParamValues& given, const PluginRegistry& registry,
                       int depth) {
  ParamValues values;
  for (const auto& [key, value] : given.all()) {
    const ParamSpec* p = component.params.find(key);
    if (!p) throw InputError("unknown parameter '" + key + "' for " + component.name);
    values.set(key, bind_given_value(component, *p, value, registry, depth));
  }
  for (const ParamSpec& p : component.params.specs()) {
    if (values.has(p.name)) continue;
    if (p.type == ParamType::component && p.default_value)
      values.set(p.name, bind_given_slot(component, p, *p.default_value, registry, depth));
    else if (p.default_value) values.set(p.name, *p.default_value);
    else if (p.required) throw InputError("missing required parameter '" + p.name + "' for " + component.name);
  }
  if (component.check) component.check(values);
  return values;
}

}  // namespace

std::string closest_name(const std::string& name, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = 3;
  for (const std::string& c : candidates) {
    const std::size_t d = edit_distance(name, c);
    if (d < best_distance) best_distance = d, best = c;
  }
  return best;
}

std::string unknown_plugin_message(const std::string& name, const PluginRegistry& registry) {
  std::string message = "unknown plugin '" + name + "'";
  if (const RefusedPlugin* r = registry.refused_candidate(name))
    message += ": " + r->path.string() + " was refused: " + r->reason;
  else if (std::string near = closest_name(name, registry.component_names()); !near.empty())
    message += " (did you mean '" + near + "'?)";
  else message += " (xrecon plugins lists what is installed)";
  return message;
}

ParamValues bind_params(const ComponentSpec& component, const YAML::Node& with, const SourceLocation& with_where,
                        const std::string& file, const PluginRegistry& registry, Diagnostics& diag) {
  return bind_yaml(component, with, with_where, YamlBinding{file, registry, diag}, 0);
}

ParamValues bind_params(const ComponentSpec& component, const ParamValues& given, const PluginRegistry& registry) {
  return bind_given(component, given, registry, 0);
}

}  // namespace xrecon::engine
