#include "python_params.hpp"

#include <cstdint>

#include "xrecon/error.hpp"

namespace xrecon::python {

ParamSchema schema_of(const py::dict& params, const std::string& owner) {
  ParamSchema schema;
  for (const auto& [key, value] : params) {
    const std::string param = py::str(key);
    const std::string doc = "a parameter of the " + owner;
    if (py::isinstance<py::bool_>(value))
      schema.boolean(param, value.cast<bool>(), doc);
    else if (py::isinstance<py::int_>(value))
      schema.integer(param, value.cast<std::int64_t>(), doc);
    else if (py::isinstance<py::float_>(value))
      schema.real(param, value.cast<double>(), doc);
    else if (py::isinstance<py::str>(value))
      schema.string(param, value.cast<std::string>(), doc);
    else
      throw InputError(owner + ": parameter '" + param + "' has a default of type " +
                       std::string(py::str(py::type::of(value).attr("__name__"))) +
                       "; defaults must be bool, int, float or str (the type is what a pipeline file may give)");
  }
  return schema;
}

namespace {

py::object python_value(const ParamValue& value) {
  if (const auto* i = std::get_if<std::int64_t>(&value)) return py::int_(*i);
  if (const auto* r = std::get_if<double>(&value)) return py::float_(*r);
  if (const auto* b = std::get_if<bool>(&value)) return py::bool_(*b);
  if (const auto* s = std::get_if<std::string>(&value)) return py::str(*s);
  throw Error("a component written in Python has no role slots");
}

}  // namespace

py::dict python_kwargs(const ParamValues& values) {
  py::dict kwargs;
  for (const auto& [param, value] : values.all()) kwargs[py::str(param)] = python_value(value);
  return kwargs;
}

}  // namespace xrecon::python
