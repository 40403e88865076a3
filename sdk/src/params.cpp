#include "xrecon/params.hpp"

#include <sstream>

namespace xrecon {

const char* to_string(ParamType type) {
  switch (type) {
    case ParamType::integer: return "integer";
    case ParamType::real: return "number";
    case ParamType::boolean: return "boolean";
    case ParamType::string: return "string";
    case ParamType::choice: return "choice";
    case ParamType::path: return "path";
    case ParamType::component: return "component";
  }
  return "?";
}

std::string to_string(const ParamValue& value) {
  struct Visitor {
    std::string operator()(std::int64_t v) const { return std::to_string(v); }
    std::string operator()(double v) const {
      std::ostringstream s;
      s.precision(10);
      s << v;
      return s.str();
    }
    std::string operator()(bool v) const { return v ? "true" : "false"; }
    std::string operator()(const std::string& v) const { return v; }
    // As the pipeline file writes it, so that provenance records can be read back as YAML.
    std::string operator()(const ComponentChoice& c) const {
      std::string with;
      if (c.with)
        for (const auto& [key, value] : c.with->all()) with += (with.empty() ? "" : ", ") + key + ": " + to_string(value);
      return "{plugin: " + c.plugin + ", with: {" + with + "}}";
    }
  };
  return std::visit(Visitor{}, value);
}

ParamSpec& ParamSchema::add(ParamSpec spec) {
  XRECON_CHECK(find(spec.name) == nullptr, "parameter '" + spec.name + "' declared twice");
  specs_.push_back(std::move(spec));
  return specs_.back();
}

ParamSchema& ParamSchema::integer(std::string name, std::optional<std::int64_t> default_value, std::string doc,
                                  std::optional<double> min, std::optional<double> max) {
  ParamSpec& s = add({.name = std::move(name), .type = ParamType::integer, .doc = std::move(doc)});
  if (default_value) s.default_value = *default_value;
  s.min = min;
  s.max = max;
  return *this;
}

ParamSchema& ParamSchema::real(std::string name, std::optional<double> default_value, std::string doc,
                               std::optional<double> min, std::optional<double> max, std::string unit) {
  ParamSpec& s = add({.name = std::move(name), .type = ParamType::real, .doc = std::move(doc)});
  if (default_value) s.default_value = *default_value;
  s.min = min;
  s.max = max;
  s.unit = std::move(unit);
  return *this;
}

ParamSchema& ParamSchema::boolean(std::string name, bool default_value, std::string doc) {
  add({.name = std::move(name), .type = ParamType::boolean, .default_value = default_value, .doc = std::move(doc)});
  return *this;
}

ParamSchema& ParamSchema::string(std::string name, std::optional<std::string> default_value, std::string doc) {
  ParamSpec& s = add({.name = std::move(name), .type = ParamType::string, .doc = std::move(doc)});
  if (default_value) s.default_value = *default_value;
  return *this;
}

ParamSchema& ParamSchema::choice(std::string name, std::string default_value, std::vector<std::string> choices,
                                 std::string doc) {
  add({.name = std::move(name),
       .type = ParamType::choice,
       .default_value = std::move(default_value),
       .choices = std::move(choices),
       .doc = std::move(doc)});
  return *this;
}

ParamSchema& ParamSchema::input_file(std::string name, std::string doc) {
  add({.name = std::move(name), .type = ParamType::path, .doc = std::move(doc), .required = true, .must_exist = true});
  return *this;
}

ParamSchema& ParamSchema::output_file(std::string name, std::optional<std::string> default_value, std::string doc) {
  ParamSpec& s = add({.name = std::move(name), .type = ParamType::path, .doc = std::move(doc)});
  if (default_value) s.default_value = *default_value;
  else s.required = true;
  return *this;
}

ParamSchema& ParamSchema::component(std::string name, ComponentKind role, std::optional<std::string> default_plugin,
                                    std::string doc) {
  XRECON_CHECK(role != ComponentKind::stage, "parameter '" + name + "': a role slot holds a role, not a stage");
  ParamSpec& s = add({.name = std::move(name), .type = ParamType::component, .doc = std::move(doc), .role = role});
  // The default's own parameters are bound by the engine against that plugin's schema.
  if (default_plugin) s.default_value = ComponentChoice{*default_plugin, std::make_shared<const ParamValues>()};
  return *this;
}

ParamSchema& ParamSchema::required() {
  XRECON_CHECK(!specs_.empty(), "required() before any parameter");
  specs_.back().required = true;
  specs_.back().default_value.reset();
  return *this;
}

ParamSchema& ParamSchema::exclusive_min() {
  XRECON_CHECK(!specs_.empty() && specs_.back().min, "exclusive_min() needs a parameter with a lower bound");
  specs_.back().min_exclusive = true;
  return *this;
}

ParamSchema& ParamSchema::exclusive_max() {
  XRECON_CHECK(!specs_.empty() && specs_.back().max, "exclusive_max() needs a parameter with an upper bound");
  specs_.back().max_exclusive = true;
  return *this;
}

ParamSchema& ParamSchema::positive() {
  XRECON_CHECK(!specs_.empty(), "positive() before any parameter");
  specs_.back().min = 0.0;
  return exclusive_min();
}

const ParamSpec* ParamSchema::find(const std::string& name) const {
  for (const ParamSpec& s : specs_)
    if (s.name == name) return &s;
  return nullptr;
}

double ParamValues::real(const std::string& name) const {
  auto it = values_.find(name);
  XRECON_CHECK(it != values_.end(), "parameter '" + name + "' has no value");
  if (const auto* i = std::get_if<std::int64_t>(&it->second)) return double(*i);
  return get<double>(name);
}

}  // namespace xrecon
