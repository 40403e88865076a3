#pragma once
#include <stdexcept>
#include <string>

#include "xrecon/export.hpp"

namespace xrecon {

// One hierarchy for every failure the engine reports; `where` names the source location
// (or the user's file:line:column for input errors) so messages point at the cause.
class XRECON_SDK_API Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message, std::string where = {});
  ~Error() override;
  const std::string& where() const noexcept { return where_; }
  const std::string& message() const noexcept { return message_; }

 private:
  std::string message_;
  std::string where_;
};

// Bad user input: a pipeline file, a parameter, a data file.
class XRECON_SDK_API InputError : public Error {
 public:
  using Error::Error;
  ~InputError() override;
};

// A backend (e.g. CUDA) that this build does not contain.
class XRECON_SDK_API NotCompiled : public Error {
 public:
  using Error::Error;
  ~NotCompiled() override;
};

// The pipeline was cancelled (another stage failed, or the user pressed Ctrl-C).
class XRECON_SDK_API Cancelled : public Error {
 public:
  using Error::Error;
  ~Cancelled() override;
};

namespace detail {
[[noreturn]] XRECON_SDK_API void throw_check_failed(const char* condition, const std::string& message,
                                                    const char* file, int line);
}

}  // namespace xrecon

// Always on, for user input as well as internal invariants: the message says what was expected.
#define XRECON_CHECK(condition, message)                                                \
  do {                                                                                  \
    if (!(condition)) ::xrecon::detail::throw_check_failed(#condition, (message), __FILE__, __LINE__); \
  } while (false)
