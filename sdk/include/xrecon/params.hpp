#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "xrecon/error.hpp"
#include "xrecon/export.hpp"

namespace xrecon {

// What a named component is: a pipeline stage, or a solver role that composite solvers host.
enum class ComponentKind { stage, tomo_solver, ptycho_solver, prior };

XRECON_SDK_API const char* to_string(ComponentKind kind);

// `component`: a role slot of a composite solver, written in the pipeline file as a nested
// `{plugin: NAME, with: {...}}` block (or just NAME) and checked like a stage at validate time.
enum class ParamType { integer, real, boolean, string, choice, path, component };

XRECON_SDK_API const char* to_string(ParamType type);

class ParamValues;

// The value of a role slot: the plugin chosen for it and its own checked parameters (every key
// bound against that plugin's schema, defaults filled). The host creates it with
// Context::make<Role>(choice); it never parses role names out of strings.
struct XRECON_SDK_API ComponentChoice {
  std::string plugin;
  std::shared_ptr<const ParamValues> with;  // never null once bound
};

using ParamValue = std::variant<std::int64_t, double, bool, std::string, ComponentChoice>;

XRECON_SDK_API std::string to_string(const ParamValue& value);

// One parameter of a stage or role: the schema lives in code, next to the stage, and the
// engine checks a pipeline file against it (keys, types, ranges, choices, files) before any work.
struct XRECON_SDK_API ParamSpec {
  std::string name;
  ParamType type = ParamType::real;
  std::optional<ParamValue> default_value;  // none and !required: optional, no value
  std::optional<double> min, max;           // range for integer and real: inclusive unless marked exclusive
  bool min_exclusive = false;               // the value must be > min (e.g. a step length: > 0)
  bool max_exclusive = false;               // the value must be < max
  std::vector<std::string> choices;         // for choice
  std::string unit;
  std::string doc;
  bool required = false;
  bool must_exist = false;  // path: an input file that must exist before the run
  ComponentKind role = ComponentKind::stage;  // component: the role a plugin must implement to fill the slot
};

// Builder for a stage's parameters, read top to bottom like a table.
class XRECON_SDK_API ParamSchema {
 public:
  ParamSchema& integer(std::string name, std::optional<std::int64_t> default_value, std::string doc,
                       std::optional<double> min = {}, std::optional<double> max = {});
  ParamSchema& real(std::string name, std::optional<double> default_value, std::string doc,
                    std::optional<double> min = {}, std::optional<double> max = {}, std::string unit = {});
  ParamSchema& boolean(std::string name, bool default_value, std::string doc);
  ParamSchema& string(std::string name, std::optional<std::string> default_value, std::string doc);
  ParamSchema& choice(std::string name, std::string default_value, std::vector<std::string> choices,
                      std::string doc);
  ParamSchema& input_file(std::string name, std::string doc);
  ParamSchema& output_file(std::string name, std::optional<std::string> default_value, std::string doc);
  // A role slot: a plugin implementing `role`, with its parameters. With a default plugin, a
  // file that leaves the slot out gets that plugin with its default parameters; without one
  // (and not required) the slot may stay empty (ParamValues::has() is false): e.g. no prior.
  ParamSchema& component(std::string name, ComponentKind role, std::optional<std::string> default_plugin,
                         std::string doc);
  // Marks the last added parameter as required (it then has no default).
  ParamSchema& required();
  // Makes the last added parameter's lower (upper) bound exclusive: the value must be > min (< max).
  ParamSchema& exclusive_min();
  ParamSchema& exclusive_max();
  // The last added parameter must be > 0: its lower bound becomes an exclusive 0 (its max stays).
  ParamSchema& positive();

  const std::vector<ParamSpec>& specs() const { return specs_; }
  const ParamSpec* find(const std::string& name) const;

 private:
  ParamSpec& add(ParamSpec spec);
  std::vector<ParamSpec> specs_;
};

// Checked values handed to a stage's factory: every key is known and typed.
class XRECON_SDK_API ParamValues {
 public:
  void set(const std::string& name, ParamValue value) { values_[name] = std::move(value); }
  bool has(const std::string& name) const { return values_.count(name) != 0; }

  std::int64_t integer(const std::string& name) const { return get<std::int64_t>(name); }
  double real(const std::string& name) const;  // accepts integers too
  bool boolean(const std::string& name) const { return get<bool>(name); }
  const std::string& string(const std::string& name) const { return get<std::string>(name); }
  std::optional<double> optional_real(const std::string& name) const {
    return has(name) ? std::optional<double>(real(name)) : std::nullopt;
  }
  const ComponentChoice& component(const std::string& name) const { return get<ComponentChoice>(name); }

  const std::map<std::string, ParamValue>& all() const { return values_; }

 private:
  template <typename T>
  const T& get(const std::string& name) const {
    auto it = values_.find(name);
    XRECON_CHECK(it != values_.end(), "parameter '" + name + "' has no value");
    const T* v = std::get_if<T>(&it->second);
    XRECON_CHECK(v != nullptr, "parameter '" + name + "' read with the wrong type");
    return *v;
  }
  std::map<std::string, ParamValue> values_;
};

}  // namespace xrecon
