#pragma once
// What every hostile test checks: the xrecon command ended with exit code 1 and a message (not a
// signal, not std::terminate), and the files a user had before are as they were.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "cli/command.hpp"

namespace hostile {

namespace fs = std::filesystem;

inline std::string file_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// An older result the run must leave alone.
inline void write_older_output(const fs::path& path) { std::ofstream(path, std::ios::binary) << "an older result\n"; }

inline bool has_partial_files(const fs::path& dir) {
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().find(".partial-") != std::string::npos) return true;
  return false;
}

// Exit code 1 (run_command reports a signal as 128 + its number) and `message` in the output.
inline void expect_clean_failure(const CommandResult& r, const std::string& message) {
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find(message), std::string::npos) << "expected: " << message << "\n" << r.output;
  EXPECT_EQ(r.output.find("terminate called"), std::string::npos) << r.output;
}

// sim.phantom (a small volume) -> [middle stages] -> io.hdf5_writer at `output`, no preview.
inline std::string phantom_pipeline(const fs::path& output, const std::string& middle = "",
                                    const std::string& volume_from = "phantom.volume", int size = 16) {
  return "version: 1\nname: hostile\ndevices: cpu\nstages:\n"
         "  - id: phantom\n    plugin: sim.phantom\n    with: {kind: foam, size: " + std::to_string(size) +
         ", slices: " + std::to_string(size) + "}\n" + middle +
         "  - id: save\n    plugin: io.hdf5_writer\n    inputs: {volume: " + volume_from + "}\n"
         "    with: {path: " + output.string() + ", preview: false, compression: 0}\n";
}

}  // namespace hostile
