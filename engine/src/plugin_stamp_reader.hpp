#pragma once
// What a plugin file says about itself before it is loaded: its stamp (xrecon/plugin_stamp.hpp)
// and whether it exports the descriptor symbol, read from the file with libelf so that no code of
// the library runs until both are checked.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace xrecon::engine {

struct PluginStamp {
  std::string name;       // the plugin's name
  std::uint32_t abi_major = 0;
  std::uint32_t abi_minor = 0;
  std::string build_tag;  // "gcc-12;libstdc++-abi1[;cudart-...]"
};

struct PluginFileFacts {
  bool exports_descriptor = false;      // XRECON_PLUGIN_SYMBOL in the dynamic symbol table
  std::optional<std::string> stamp;     // the stamp note's text, when the file has one
};

// Reads the facts from an ELF file whose headers damaged_library_reason accepted. Throws
// std::runtime_error saying what libelf could not read.
PluginFileFacts read_plugin_file_facts(const std::filesystem::path& path);

// Parses a stamp's text; throws std::runtime_error naming the missing or malformed line.
PluginStamp parse_plugin_stamp(const std::string& text);

}  // namespace xrecon::engine
