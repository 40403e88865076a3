#pragma once
// A JSON-lines report file for stages that report per message or per iteration (streaming
// refreshes, enhanced images, ADMM): written under a temporary name (AtomicOutput) and flushed
// after every line, so that a monitor can follow a running pipeline (tail -f PATH.partial-*); put
// in place with the run's other outputs when the stage ends normally, and kept as PATH.failed
// when it ends by an exception, so a failed run neither truncates the older report nor loses its
// own lines. Header-only.
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

#include "xrecon/atomic_output.hpp"
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
  explicit JsonLinesFile(std::filesystem::path path) : output_(std::move(path)) {
    output_.keep_if_failed();
    out_.open(output_.temp_path(), std::ios::out | std::ios::trunc);
    if (!out_) throw Error("cannot write the report " + output_.final_path().string());
  }
  JsonLinesFile(JsonLinesFile&&) = delete;

  ~JsonLinesFile() {
    out_.close();
    // The stage failed (an exception is unwinding through it): PATH.failed, the older report stays.
    // A report that outlives its stage's run() (a stage's member) is handed to the run, which
    // does the same if any stage failed.
    if (std::uncaught_exceptions() > exceptions_at_start_) return;
    try {
      output_.commit();
    } catch (const std::exception&) {
      // Only without a run (a unit test) can the rename fail here; a destructor must not throw.
    }
  }

  // One JSON object, without its newline.
  void write(const std::string& object) {
    out_ << object << '\n';
    out_.flush();
    if (!out_) throw Error("writing the report " + output_.final_path().string() + " failed");
  }

 private:
  AtomicOutput output_;
  std::ofstream out_;
  int exceptions_at_start_ = std::uncaught_exceptions();
};

}  // namespace xrecon
