#include "xrecon/engine/plugin_registry.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <sstream>

#include <boost/dll/runtime_symbol_info.hpp>

#include "plugin_file_checks.hpp"
#include "plugin_stamp_reader.hpp"
#include "xrecon/plugin.hpp"
#include "xrecon/version.hpp"

namespace xrecon::engine {

namespace fs = std::filesystem;

namespace {

bool is_plugin_file(const fs::path& p) {
  const std::string name = p.filename().string();
  return name.rfind("xrecon_plugin_", 0) == 0 && p.extension() == ".so";
}

std::string tag_part(const std::string& tag, const std::string& prefix) {
  std::stringstream parts(tag);
  for (std::string part; std::getline(parts, part, ';');)
    if (part.rfind(prefix, 0) == 0) return part;
  return {};
}

// What makes a descriptor unusable before anything in it is followed; empty when nothing does.
// A plugin written by hand (not with XRECON_PLUGIN) may leave any field empty.
std::string descriptor_defect(const xrecon_plugin_descriptor* d) {
  if (d == nullptr) return XRECON_PLUGIN_SYMBOL " returned no descriptor (NULL)";
  std::string missing;
  const auto require = [&](bool present, const char* field_name) {
    if (!present) missing += (missing.empty() ? "" : ", ") + std::string(field_name);
  };
  require(d->name != nullptr, "name");
  require(d->version != nullptr, "version");
  require(d->build_tag != nullptr, "build_tag");
  require(d->components != nullptr, "components");
  if (!missing.empty()) return "its descriptor has no " + missing + " (NULL)";
  if (*d->name == '\0') return "its descriptor has an empty name";
  return {};
}

std::string component_list_defect(const ComponentList* components) {
  if (components == nullptr) return "listed no components (its components function returned NULL)";
  for (std::size_t i = 0; i < components->size(); ++i) {
    const ComponentSpec& c = (*components)[i];
    if (c.name.empty()) return "has a component without a name (number " + std::to_string(i + 1) + ")";
    if (!c.create) return "has a component without a factory ('" + c.name + "')";
  }
  return {};
}

}  // namespace

std::string check_plugin_compatibility(std::uint32_t abi_major, std::uint32_t abi_minor, const std::string& build_tag) {
  const std::string engine_abi = XRECON_SDK_ABI_STRING;
  const std::string plugin_abi = std::to_string(abi_major) + "." + std::to_string(abi_minor);
  if (abi_major != XRECON_SDK_ABI_MAJOR || abi_minor > XRECON_SDK_ABI_MINOR)
    return "built for SDK ABI " + plugin_abi + ", but this engine provides SDK ABI " + engine_abi +
           " (rebuild the plugin against this xrecon)";
  // Compiler family/major and standard-library ABI must agree for C++ objects to cross;
  // the CUDA runtime only matters when both sides use one.
  const std::string engine_tag = XRECON_BUILD_TAG;
  for (const std::string prefix : {"gcc-", "clang-", "libstdc++-"}) {
    const std::string ours = tag_part(engine_tag, prefix);
    const std::string theirs = tag_part(build_tag, prefix);
    if (ours != theirs)
      return "built with '" + build_tag + "', but this engine was built with '" + engine_tag +
             "' (rebuild the plugin with the same compiler)";
  }
  return {};
}

std::vector<fs::path> PluginRegistry::default_search_path() {
  std::vector<fs::path> folders;
  if (const char* env = std::getenv("XRECON_PLUGIN_PATH")) {
    std::stringstream entries(env);
    for (std::string e; std::getline(entries, e, ':');)
      if (!e.empty()) folders.emplace_back(e);
  }
  const fs::path exe_dir = boost::dll::program_location().parent_path().string();
  // The build tree's plugins serve programs running from the build tree, never an installed xrecon.
  const std::string build_tree = XRECON_BUILD_TREE_DIR;
  if (exe_dir.string().rfind(build_tree, 0) == 0) folders.emplace_back(XRECON_BUILD_PLUGIN_DIR);
  folders.push_back(exe_dir / ".." / XRECON_INSTALL_LIBDIR / "xrecon" / "plugins");
  return folders;
}

void PluginRegistry::load_folders(const std::vector<fs::path>& folders) {
  for (const fs::path& folder : folders) {
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) continue;
    warn_if_writable_by_others(folder, "plugin folder");
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(folder, ec))
      if (entry.is_regular_file() && is_plugin_file(entry.path())) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files) {
      warn_if_writable_by_others(f, "plugin file");
      load(f);
    }
  }
  resolve_names();
}

bool PluginRegistry::load_library(const fs::path& path) {
  const bool accepted = load(path);
  resolve_names();
  const fs::path canonical = fs::weakly_canonical(path);
  return accepted && std::any_of(plugins_.begin(), plugins_.end(),
                                 [&](const LoadedPlugin& p) { return p.path == canonical; });
}

void PluginRegistry::register_in_process(const std::string& owner, const std::string& version, ComponentSpec spec) {
  XRECON_CHECK(!spec.name.empty() && spec.create, "an in-process component needs a name and a factory");
  const fs::path where = "(in process: " + owner + ")";
  for (const LoadedPlugin& p : accepted_) {
    if (p.path == where) continue;
    for (const ComponentSpec& c : *p.components)
      if (c.name == spec.name)
        throw InputError("component '" + spec.name + "' is provided by " + p.path.string() +
                         "; component names are owned: choose another name");
  }
  auto& list = in_process_[owner];
  if (!list) {
    list = std::make_unique<ComponentList>();
    accepted_.push_back(LoadedPlugin{where, owner, version, XRECON_BUILD_TAG, list.get()});
  }
  const auto same = std::find_if(list->begin(), list->end(), [&](const ComponentSpec& c) { return c.name == spec.name; });
  if (same != list->end())
    *same = std::move(spec);
  else
    list->push_back(std::move(spec));
  resolve_names();
}

bool PluginRegistry::load(const fs::path& path) {
  const fs::path canonical = fs::weakly_canonical(path);
  for (const LoadedPlugin& p : accepted_)
    if (p.path == canonical) return true;

  // dlopen crashes on a damaged file rather than failing: read its headers first.
  if (std::string why = damaged_library_reason(canonical); !why.empty()) {
    unloadable_.push_back({canonical, why});
    return false;
  }
  // What the file says about itself, read without loading it: a library that is not a stamped
  // plugin for this ABI and compiler is refused before any of its code (static constructors) runs.
  PluginStamp stamp;
  try {
    const PluginFileFacts facts = read_plugin_file_facts(canonical);
    if (!facts.stamp) {
      unloadable_.push_back({canonical, "carries no xrecon plugin stamp (note .note.xrecon): not a plugin built with "
                                        "XRECON_PLUGIN against SDK ABI 5.0 or later; not loaded, none of its code ran "
                                        "(rebuild it against this xrecon)"});
      return false;
    }
    if (!facts.exports_descriptor) {
      unloadable_.push_back({canonical, "exports no " XRECON_PLUGIN_SYMBOL " (not built with XRECON_PLUGIN); not loaded"});
      return false;
    }
    stamp = parse_plugin_stamp(*facts.stamp);
  } catch (const std::exception& e) {
    unloadable_.push_back({canonical, std::string("not loaded: ") + e.what()});
    return false;
  }
  if (std::string why = check_plugin_compatibility(stamp.abi_major, stamp.abi_minor, stamp.build_tag); !why.empty()) {
    unloadable_.push_back({canonical, "plugin '" + stamp.name + "' " + why});
    return false;
  }

  boost::dll::shared_library library;
  try {
    library.load(canonical.string(), boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& e) {
    unloadable_.push_back({canonical, std::string("cannot be loaded: ") + e.what()});
    return false;
  }
  if (!library.has(XRECON_PLUGIN_SYMBOL)) {
    unloadable_.push_back({canonical, "exports no " XRECON_PLUGIN_SYMBOL " (not built with XRECON_PLUGIN)"});
    return false;
  }
  using DescriptorGetter = const xrecon_plugin_descriptor*();
  const xrecon_plugin_descriptor* d = library.get_alias<DescriptorGetter>(XRECON_PLUGIN_SYMBOL)();
  if (std::string why = descriptor_defect(d); !why.empty()) {
    unloadable_.push_back({canonical, why});
    return false;
  }
  const std::string name = d->name;
  const std::string build_tag = d->build_tag;
  // The descriptor must say what the stamp said: a library whose two disagree is not what was checked.
  if (name != stamp.name || d->abi_major != stamp.abi_major || d->abi_minor != stamp.abi_minor ||
      build_tag != stamp.build_tag) {
    unloadable_.push_back(
        {canonical, "its descriptor (plugin '" + name + "', SDK ABI " + std::to_string(d->abi_major) + "." +
                        std::to_string(d->abi_minor) + ", '" + build_tag + "') disagrees with its stamp (plugin '" +
                        stamp.name + "', SDK ABI " + std::to_string(stamp.abi_major) + "." +
                        std::to_string(stamp.abi_minor) + ", '" + stamp.build_tag + "')"});
    return false;
  }
  // Only now, with the ABI agreed, may C++ objects cross: the component list.
  const ComponentList* components = nullptr;
  try {
    components = static_cast<const ComponentList*>(d->components());
  } catch (const std::exception& e) {
    unloadable_.push_back({canonical, "plugin '" + name + "' failed to list its components: " + e.what()});
    return false;
  }
  if (std::string why = component_list_defect(components); !why.empty()) {
    unloadable_.push_back({canonical, "plugin '" + name + "' " + why});
    return false;
  }
  for (const LoadedPlugin& p : accepted_)
    if (p.name == name) return false;  // an earlier folder already provides it

  // Pin the library: dlclose never unmaps it, whatever happens to our handle.
  dlopen(canonical.c_str(), RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);

  LoadedPlugin plugin{canonical, name, d->version, build_tag, components};
  accepted_.push_back(plugin);
  libraries_.push_back(std::move(library));
  return true;
}

void PluginRegistry::warn_if_writable_by_others(const fs::path& path, const std::string& what) {
  const fs::path canonical = fs::weakly_canonical(path);
  for (const PluginWarning& w : warnings_)
    if (w.path == canonical) return;
  if (std::string why = unsafe_write_permission(canonical); !why.empty()) warnings_.push_back({canonical, what + " " + why});
}

void PluginRegistry::resolve_names() {
  refused_ = unloadable_;
  shadowings_.clear();
  std::map<std::string, std::size_t> owner;  // component name -> index in accepted_
  std::vector<bool> kept(accepted_.size(), true);
  for (std::size_t i = accepted_.size(); i-- > 0;) {
    const LoadedPlugin& plugin = accepted_[i];
    std::vector<std::pair<std::string, std::size_t>> taken;  // names registered before, and by whom
    for (const ComponentSpec& c : *plugin.components)
      if (const auto it = owner.find(c.name); it != owner.end()) taken.emplace_back(c.name, it->second);
    if (!taken.empty() && !allow_shadowing_) {
      std::string reason;
      for (const auto& [name, other] : taken)
        reason += (reason.empty() ? "registers component '" : "; and '") + name + "', which " +
                  accepted_[other].path.string() + " registers too";
      refused_.push_back({plugin.path,
                          reason + " (component names are owned: rename the component, or run xrecon with "
                                   "--allow-shadowing to let this file's replace the other's)",
                          true});
      kept[i] = false;
      continue;
    }
    for (const auto& [name, other] : taken) shadowings_.push_back({name, plugin.path, accepted_[other].path});
    for (const ComponentSpec& c : *plugin.components) owner[c.name] = i;
  }
  plugins_.clear();
  for (std::size_t i = 0; i < accepted_.size(); ++i)
    if (kept[i]) plugins_.push_back(accepted_[i]);
}

void PluginRegistry::require_owned_names() const {
  std::string message;
  for (const RefusedPlugin& r : refused_)
    if (r.shadowing) message += (message.empty() ? "" : "\n") + r.path.string() + " refused: " + r.reason;
  if (!message.empty()) throw InputError(message);
}

const ComponentSpec* PluginRegistry::find(const std::string& component) const {
  for (const LoadedPlugin& p : plugins_)
    for (const ComponentSpec& c : *p.components)
      if (c.name == component) return &c;
  return nullptr;
}

const LoadedPlugin* PluginRegistry::provider(const std::string& component) const {
  for (const LoadedPlugin& p : plugins_)
    for (const ComponentSpec& c : *p.components)
      if (c.name == component) return &p;
  return nullptr;
}

const RefusedPlugin* PluginRegistry::refused_candidate(const std::string& component) const {
  const std::string family = component.substr(0, component.find('.'));
  for (const RefusedPlugin& r : refused_)
    if (r.path.stem().string() == "xrecon_plugin_" + family) return &r;
  return nullptr;
}

std::vector<std::string> PluginRegistry::component_names() const {
  std::vector<std::string> names;
  for (const LoadedPlugin& p : plugins_)
    for (const ComponentSpec& c : *p.components) names.push_back(c.name);
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> PluginRegistry::component_names(ComponentKind kind) const {
  std::vector<std::string> names;
  for (const LoadedPlugin& p : plugins_)
    for (const ComponentSpec& c : *p.components)
      if (c.kind == kind) names.push_back(c.name);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace xrecon::engine
