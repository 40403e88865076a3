#include "xrecon/engine/param_binding.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
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
  if (p.min && p.max) return fmt(*p.min) + " .. " + fmt(*p.max);
  if (p.min) return ">= " + fmt(*p.min);
  return "<= " + fmt(*p.max);
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
  }
  return "unsupported parameter type";
}

// Range and file checks shared by both binding paths.
std::string check_value(const ParamSpec& p, const ParamValue& value) {
  if (p.min || p.max) {
    const double v = std::holds_alternative<std::int64_t>(value) ? double(std::get<std::int64_t>(value))
                                                                  : std::get<double>(value);
    if ((p.min && v < *p.min) || (p.max && v > *p.max))
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

ParamValues bind_params(const ComponentSpec& component, const YAML::Node& with, const SourceLocation& with_where,
                        const std::string& file, Diagnostics& diag) {
  ParamValues values;
  std::map<std::string, SourceLocation> where;
  if (with && with.IsMap()) {
    for (const auto& kv : with) {
      const std::string key = kv.first.as<std::string>();
      const SourceLocation key_where = location_of(kv.first, file);
      const ParamSpec* p = component.params.find(key);
      if (!p) {
        std::string message = "unknown parameter '" + key + "' for " + component.name;
        if (std::string near = closest_name(key, names_of(component.params)); !near.empty())
          message += " (did you mean '" + near + "'?)";
        else message += " (see: xrecon describe " + component.name + ")";
        diag.error(key_where, message);
        continue;
      }
      const SourceLocation value_where = location_of(kv.second, file);
      where[key] = value_where;
      if (!kv.second.IsScalar()) {
        diag.error(value_where, "parameter '" + key + "' of " + component.name + ": expected a " +
                                    to_string(p->type) + ", found a " + (kv.second.IsMap() ? "map" : "list or nothing"));
        continue;
      }
      ParamValue value;
      if (std::string why = convert(*p, kv.second.Scalar(), value); !why.empty()) {
        diag.error(value_where, "parameter '" + key + "' of " + component.name + ": " + why);
        continue;
      }
      if (std::string why = check_value(*p, value); !why.empty()) {
        diag.error(value_where, "parameter '" + key + "' of " + component.name + ": " + why);
        continue;
      }
      values.set(key, std::move(value));
    }
  }
  bool complete = true;
  for (const ParamSpec& p : component.params.specs()) {
    if (values.has(p.name)) continue;
    if (p.default_value) values.set(p.name, *p.default_value);
    else if (p.required) {
      complete = false;
      if (!where.count(p.name))
        diag.error(with_where, "missing required parameter '" + p.name + "' for " + component.name + " (" + p.doc + ")");
    }
  }
  if (complete && component.check) {
    try {
      component.check(values);
    } catch (const ParamError& e) {
      const auto it = where.find(e.param());
      diag.error(it != where.end() ? it->second : with_where, component.name + ": " + e.message());
    }
  }
  return values;
}

ParamValues bind_params(const ComponentSpec& component, const ParamValues& given) {
  ParamValues values;
  for (const auto& [key, value] : given.all()) {
    const ParamSpec* p = component.params.find(key);
    if (!p) throw InputError("unknown parameter '" + key + "' for " + component.name);
    ParamValue converted;
    if (std::string why = convert(*p, to_string(value), converted); !why.empty())
      throw InputError("parameter '" + key + "' of " + component.name + ": " + why);
    if (std::string why = check_value(*p, converted); !why.empty())
      throw InputError("parameter '" + key + "' of " + component.name + ": " + why);
    values.set(key, converted);
  }
  for (const ParamSpec& p : component.params.specs()) {
    if (values.has(p.name)) continue;
    if (p.default_value) values.set(p.name, *p.default_value);
    else if (p.required) throw InputError("missing required parameter '" + p.name + "' for " + component.name);
  }
  if (component.check) component.check(values);
  return values;
}

}  // namespace xrecon::engine
