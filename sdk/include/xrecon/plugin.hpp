#pragma once
// What a plugin library exports. The descriptor is a plain C struct so the engine can check the
// SDK ABI and build tag before any C++ object (ComponentSpec, std::function, ...) crosses.
#include <cstdint>

#include <boost/dll/alias.hpp>

#include "xrecon/component.hpp"
#include "xrecon/plugin_stamp.hpp"
#include "xrecon/version.hpp"

extern "C" {
struct xrecon_plugin_descriptor {
  std::uint32_t abi_major;
  std::uint32_t abi_minor;
  const char* name;
  const char* version;
  const char* build_tag;
  // Returns a `const xrecon::ComponentList*`; the engine calls it only after the checks pass.
  const void* (*components)(void);
};
}

// The exported symbol name the engine looks up through Boost.DLL.
#define XRECON_PLUGIN_SYMBOL "xrecon_plugin_descriptor_v1"

// Declares a plugin: its name, version and the ComponentSpec values it provides, e.g.
//   XRECON_PLUGIN("tomo", "0.1.0", fbp_spec(), sirt_spec())
// The name and version are string literals: the name goes into the stamp (plugin_stamp.hpp).
#define XRECON_PLUGIN(plugin_name, plugin_version, ...)                                           \
  XRECON_PLUGIN_STAMP(plugin_name)                                                                \
  namespace {                                                                                     \
  const void* xrecon_plugin_components() {                                                        \
    static const ::xrecon::ComponentList list{__VA_ARGS__};                                       \
    return &list;                                                                                 \
  }                                                                                               \
  const xrecon_plugin_descriptor xrecon_plugin_descriptor_value{                                  \
      XRECON_SDK_ABI_MAJOR, XRECON_SDK_ABI_MINOR,   plugin_name,                                  \
      plugin_version,       XRECON_PLUGIN_BUILD_TAG, &xrecon_plugin_components};                 \
  const xrecon_plugin_descriptor* xrecon_plugin_descriptor_get() { return &xrecon_plugin_descriptor_value; } \
  }                                                                                               \
  BOOST_DLL_ALIAS(xrecon_plugin_descriptor_get, xrecon_plugin_descriptor_v1)
