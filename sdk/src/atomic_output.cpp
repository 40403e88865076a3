#include "xrecon/atomic_output.hpp"

#include <unistd.h>

#include <atomic>
#include <system_error>

#include "xrecon/error.hpp"

namespace xrecon {

AtomicOutput::AtomicOutput(std::filesystem::path final_path) : final_path_(std::move(final_path)) {
  if (final_path_.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(final_path_.parent_path(), ec);
    if (ec) throw Error("cannot create folder " + final_path_.parent_path().string() + ": " + ec.message());
  }
  // Same folder as the result, so the rename is atomic (same file system).
  temp_path_ = final_path_;
  // pid + a per-process counter: unique across processes and across writers of one process.
  static std::atomic<unsigned> counter{0};
  temp_path_ += ".partial-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

AtomicOutput::~AtomicOutput() {
  if (!committed_) {
    std::error_code ec;
    std::filesystem::remove(temp_path_, ec);
  }
}

void AtomicOutput::commit() {
  std::error_code ec;
  std::filesystem::rename(temp_path_, final_path_, ec);
  if (ec) throw Error("cannot rename " + temp_path_.string() + " to " + final_path_.string() + ": " + ec.message());
  committed_ = true;
}

}  // namespace xrecon
