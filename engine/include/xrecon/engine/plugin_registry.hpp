#pragma once
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <boost/dll/shared_library.hpp>

#include "xrecon/component.hpp"

namespace xrecon::engine {

struct LoadedPlugin {
  std::filesystem::path path;
  std::string name;
  std::string version;
  std::string build_tag;
  const ComponentList* components = nullptr;
};

// A library that looked like a plugin but was not loaded, and why (ABI, build tag, no symbol).
struct RefusedPlugin {
  std::filesystem::path path;
  std::string reason;
};

// Owns every loaded plugin library. Libraries are pinned in memory and never unloaded: objects
// a plugin made (and CUDA state it registered) may outlive any scope we could pick.
class PluginRegistry {
 public:
  PluginRegistry() = default;
  PluginRegistry(const PluginRegistry&) = delete;
  PluginRegistry& operator=(const PluginRegistry&) = delete;

  // XRECON_PLUGIN_PATH (colon-separated, first), then the build tree's plugin folder, then the
  // install prefix's lib/xrecon/plugins next to the executable.
  static std::vector<std::filesystem::path> default_search_path();

  // Loads every plugin library (xrecon_plugin_*.so) in the folders; earlier folders win when
  // the same plugin name appears twice.
  void load_folders(const std::vector<std::filesystem::path>& folders);
  // Loads one library; returns false (and records why) when it is refused.
  bool load_library(const std::filesystem::path& path);

  const ComponentSpec* find(const std::string& component) const;
  const LoadedPlugin* provider(const std::string& component) const;
  // A refused library whose file name suggests it provides `component` (for error messages).
  const RefusedPlugin* refused_candidate(const std::string& component) const;
  std::vector<std::string> component_names() const;
  // The components of one kind (e.g. every Prior, for a role slot), sorted.
  std::vector<std::string> component_names(ComponentKind kind) const;

  const std::vector<LoadedPlugin>& plugins() const { return plugins_; }
  const std::vector<RefusedPlugin>& refused() const { return refused_; }

 private:
  std::vector<boost::dll::shared_library> libraries_;
  std::vector<LoadedPlugin> plugins_;
  std::vector<RefusedPlugin> refused_;
};

// Why a descriptor is not acceptable to this engine; empty when it is.
std::string check_plugin_compatibility(std::uint32_t abi_major, std::uint32_t abi_minor, const std::string& build_tag);

}  // namespace xrecon::engine
