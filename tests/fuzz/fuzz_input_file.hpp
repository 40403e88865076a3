#pragma once
// The fuzzers of file readers hand the input to the reader as a file, as a user's file would
// reach it: one temporary file per fuzzer process, rewritten for every input.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include <xrecon/error.hpp>

namespace xrecon::fuzz {

// A file under the temporary folder named for this process, with `suffix` (the readers choose by
// extension: .onnx). Removed at exit.
class FuzzInputFile {
 public:
  explicit FuzzInputFile(const std::string& suffix)
      : path_(std::filesystem::temp_directory_path() /
              ("xrecon-fuzz-" + std::to_string(::getpid()) + suffix)) {}
  ~FuzzInputFile() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  // Writes the input to the file and calls read(path). xrecon::Error is the expected answer to a
  // bad file; anything else propagates to libFuzzer, which reports it as a finding.
  template <typename Read>
  void read(const std::uint8_t* data, std::size_t size, Read&& read) {
    {
      std::ofstream out(path_, std::ios::binary | std::ios::trunc);
      out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    try {
      read(path_);
    } catch (const xrecon::Error&) {
    }
  }

 private:
  std::filesystem::path path_;
};

}  // namespace xrecon::fuzz
