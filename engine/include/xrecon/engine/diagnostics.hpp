#pragma once
#include <string>
#include <vector>

#include "xrecon/engine/source_location.hpp"
#include "xrecon/error.hpp"

namespace xrecon::engine {

// Collects every problem of a pipeline file so the user fixes them in one go, then throws.
class Diagnostics {
 public:
  void error(const SourceLocation& where, const std::string& message) {
    messages_.push_back(where.to_string() + ": error: " + message);
  }
  bool empty() const { return messages_.empty(); }
  const std::vector<std::string>& messages() const { return messages_; }
  // Throws InputError carrying every message (one per line) when any was reported.
  void throw_if_any() const;

 private:
  std::vector<std::string> messages_;
};

}  // namespace xrecon::engine
