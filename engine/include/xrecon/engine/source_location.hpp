#pragma once
#include <string>

namespace xrecon::engine {

// A place in the user's pipeline file (1-based), or a command-line override.
struct SourceLocation {
  std::string file;
  int line = 0;  // 0: not from the file (e.g. --set)
  int column = 0;

  std::string to_string() const {
    if (line <= 0) return file;
    return file + ":" + std::to_string(line) + ":" + std::to_string(column);
  }
};

}  // namespace xrecon::engine
