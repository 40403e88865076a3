#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "xrecon/error.hpp"
#include "xrecon/export.hpp"

namespace xrecon {

enum class ParamType { integer, real, boolean, string, choice, path };

XRECON_SDK_API const char* to_string(ParamType type);

using ParamValue = std::variant<std::int64_t, double, bool, std::string>;

XRECON_SDK_API std::string to_string(const ParamValue& value);

// One parameter of a stage or role: the schema lives in code, next to the stage, and the
// engine checks a pipeline file against it (keys, types, ranges, choices, files) before any work.
struct XRECON_SDK_API ParamSpec {
  std::string name;
  ParamType type = ParamType::real;
  std::optional<ParamValue> default_value;  // none and !required: optional, no value
  std::optional<double> min, max;           // inclusive range for integer and real
  std::vector<std::string> choices;         // for choice
  std::string unit;
  std::string doc;
  bool required = false;
  bool must_exist = false;  // path: an input file that must exist before the run
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
  // Marks the last added parameter as required (it then has no default).
  ParamSchema& required();

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
