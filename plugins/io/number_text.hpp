#pragma once
// Numbers for messages and the log, printf-formatted: number_text(179, "%.2f") is "179.00",
// number_text(NaN) "nan".
#include <cstdio>
#include <string>

namespace xrecon::io {

inline std::string number_text(double value, const char* format = "%.9g") {
  char text[64];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

}  // namespace xrecon::io
