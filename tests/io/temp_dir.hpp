#pragma once
// A fresh folder under the system temp dir for one test, removed with everything in it.
#include <unistd.h>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

namespace xrecon::io::testing {

class TempDir {
 public:
  TempDir() {
    std::random_device entropy;
    path_ = std::filesystem::temp_directory_path() /
            ("xrecon-io-test-" + std::to_string(::getpid()) + "-" + std::to_string(entropy()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

  // Names of leftover temporaries from AtomicOutput ("*.partial-*").
  std::vector<std::string> partial_files() const {
    std::vector<std::string> found;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(path_))
      if (entry.path().filename().string().find(".partial-") != std::string::npos)
        found.push_back(entry.path().filename().string());
    return found;
  }

 private:
  std::filesystem::path path_;
};

}  // namespace xrecon::io::testing
