#pragma once
#include <filesystem>
#include <string>

#include "xrecon/export.hpp"

namespace xrecon {

// An output file written under a temporary name in the same folder and renamed over the final
// path only by commit(): a crash or a cancelled run never leaves a partial file, and an
// existing result is replaced only by a complete one. Without commit() the temporary is removed.
class XRECON_SDK_API AtomicOutput {
 public:
  explicit AtomicOutput(std::filesystem::path final_path);
  ~AtomicOutput();
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;

  const std::filesystem::path& temp_path() const { return temp_path_; }
  const std::filesystem::path& final_path() const { return final_path_; }
  void commit();

 private:
  std::filesystem::path final_path_;
  std::filesystem::path temp_path_;
  bool committed_ = false;
};

}  // namespace xrecon
