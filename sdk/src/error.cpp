#include "xrecon/error.hpp"

#include "xrecon/component.hpp"

namespace xrecon {

Error::Error(const std::string& message, std::string where)
    : std::runtime_error(where.empty() ? message : where + ": " + message),
      message_(message),
      where_(std::move(where)) {}
Error::~Error() = default;
InputError::~InputError() = default;
NotCompiled::~NotCompiled() = default;
Cancelled::~Cancelled() = default;

ParamError::ParamError(std::string param, const std::string& message)
    : InputError("parameter '" + param + "': " + message), param_(std::move(param)) {}
ParamError::~ParamError() = default;

namespace detail {
void throw_check_failed(const char* condition, const std::string& message, const char* file, int line) {
  (void)condition;
  throw InputError(message, std::string(file) + ":" + std::to_string(line));
}
}  // namespace detail

}  // namespace xrecon
