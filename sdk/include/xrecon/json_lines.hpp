#pragma once
// A JSON-lines report file for stages that report per message (streaming refreshes, enhanced
// images): truncated when opened and flushed after every line, so that a monitor can follow a
// running pipeline (tail -f) and a failed run keeps its lines. Header-only: no ABI change.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

#include "xrecon/error.hpp"

namespace xrecon {

// Enough digits to compare runs; JSON has no NaN, and callers report finite values only.
inline std::string json_number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", value);
  return text;
}

class JsonLinesFile {
 public:
  explicit JsonLinesFile(std::filesystem::path path) : path_(std::move(path)) {
    std::error_code ec;
    if (path_.has_parent_path()) std::filesystem::create_directories(path_.parent_path(), ec);
    if (ec) throw Error("cannot create folder " + path_.parent_path().string() + ": " + ec.message());
    out_.open(path_, std::ios::out | std::ios::trunc);
    if (!out_) throw Error("cannot write the report " + path_.string());
  }

  // One JSON object, without its newline.
  void write(const std::string& object) {
    out_ << object << '\n';
    out_.flush();
    if (!out_) throw Error("writing the report " + path_.string() + " failed");
  }

 private:
  std::filesystem::path path_;
  std::ofstream out_;
};

}  // namespace xrecon
