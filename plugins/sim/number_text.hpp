#pragma once
#include <cstdio>
#include <string>

namespace xrecon::sim {

// Shortest readable form of a number for log lines and messages ("180", "1e+04", "0.018").
inline std::string number_text(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", value);
  return text;
}

}  // namespace xrecon::sim
