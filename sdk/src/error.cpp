#include "xrecon/error.hpp"

#include "xrecon/component.hpp"

namespace xrecon {

namespace {
std::string located(const std::string& where, const std::string& message) {
  if (where.empty()) return message;
  std::string text = where;
  text.append(": ").append(message);
  return text;
}
}  // namespace

Error::Error(const std::string& message, std::string where)
    : std::runtime_error(located(where, message)),
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
