#pragma once
#include <filesystem>
#include <map>
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

// A library that looked like a plugin but was not loaded, and why (ABI, build tag, no symbol, or a
// component name another plugin file registers).
struct RefusedPlugin {
  std::filesystem::path path;
  std::string reason;
  bool shadowing = false;  // refused for a component name: every command stops on it (see below)
};

// Something about a plugin file or folder the user should know, though it was loaded (a folder
// any user may write to).
struct PluginWarning {
  std::filesystem::path path;
  std::string reason;  // "plugin folder is writable by every user (mode 0777): ..."
};

// A component name two plugin files register, allowed by the user: `winner`'s is the one used.
struct Shadowing {
  std::string component;
  std::filesystem::path winner;
  std::filesystem::path shadowed;
};

// Owns every loaded plugin library. Libraries are pinned in memory and never unloaded: objects
// a plugin made (and CUDA state it registered) may outlive any scope we could pick.
//
// Component names are owned. Names are registered from the end of the search path to its front
// (the install's or build tree's plugins first, then XRECON_PLUGIN_PATH from its last folder to
// its first), and a plugin file that registers a name a file registered before it (a second
// tomo.sirt) is refused, naming both files, unless shadowing is allowed (xrecon --allow-shadowing):
// then the file nearer the front of the search path wins, and shadowings() names both files.
class PluginRegistry {
 public:
  explicit PluginRegistry(bool allow_shadowing = false) : allow_shadowing_(allow_shadowing) {}
  PluginRegistry(const PluginRegistry&) = delete;
  PluginRegistry& operator=(const PluginRegistry&) = delete;

  // XRECON_PLUGIN_PATH (colon-separated, first), then the build tree's plugin folder, then the
  // install prefix's lib/xrecon/plugins next to the executable.
  static std::vector<std::filesystem::path> default_search_path();

  // Loads every plugin library (xrecon_plugin_*.so) in the folders; earlier folders win when
  // the same plugin name appears twice.
  void load_folders(const std::vector<std::filesystem::path>& folders);
  // Loads one library; returns false (and records why) when it is refused. Each call checks the
  // component names of everything loaded so far again.
  bool load_library(const std::filesystem::path& path);
  // A component the host program itself provides rather than a library (the Python package's
  // priors), listed as a plugin named `owner` whose path is "(in process: owner)". Names stay
  // owned: InputError when a library provides `spec.name`; an in-process component of the same
  // name is replaced (a class redefined in a notebook). Never call it while a run uses the registry.
  void register_in_process(const std::string& owner, const std::string& version, ComponentSpec spec);

  const ComponentSpec* find(const std::string& component) const;
  const LoadedPlugin* provider(const std::string& component) const;
  // A refused library whose file name suggests it provides `component` (for error messages).
  const RefusedPlugin* refused_candidate(const std::string& component) const;
  std::vector<std::string> component_names() const;
  // The components of one kind (e.g. every Prior, for a role slot), sorted.
  std::vector<std::string> component_names(ComponentKind kind) const;

  const std::vector<LoadedPlugin>& plugins() const { return plugins_; }
  const std::vector<RefusedPlugin>& refused() const { return refused_; }
  // Files refused before their names were looked at: damaged, foreign, another ABI.
  const std::vector<RefusedPlugin>& unloadable() const { return unloadable_; }
  const std::vector<PluginWarning>& warnings() const { return warnings_; }
  // The allowed shadowings; without allow_shadowing there are none (the files are refused).
  const std::vector<Shadowing>& shadowings() const { return shadowings_; }
  // Throws an InputError naming every file refused for a component name (and the other file).
  void require_owned_names() const;

 private:
  // Loads a library into accepted_ (or unloadable_); false when it is refused.
  bool load(const std::filesystem::path& path);
  void warn_if_writable_by_others(const std::filesystem::path& path, const std::string& what);
  // Derives plugins_, refused_ and shadowings_ from every accepted library, by the rule above.
  void resolve_names();

  bool allow_shadowing_;
  std::vector<boost::dll::shared_library> libraries_;
  // The in-process components of each owner; their LoadedPlugin entries point into these lists.
  std::map<std::string, std::unique_ptr<ComponentList>> in_process_;
  std::vector<LoadedPlugin> accepted_;      // every library that passed its checks, in search order
  std::vector<RefusedPlugin> unloadable_;   // refused before their names were looked at
  std::vector<LoadedPlugin> plugins_;
  std::vector<RefusedPlugin> refused_;
  std::vector<Shadowing> shadowings_;
  std::vector<PluginWarning> warnings_;
};

// Why a descriptor is not acceptable to this engine; empty when it is.
std::string check_plugin_compatibility(std::uint32_t abi_major, std::uint32_t abi_minor, const std::string& build_tag);

}  // namespace xrecon::engine
