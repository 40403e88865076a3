// A plugin whose stamp passes but whose descriptor claims to be another plugin: what was checked
// before loading is not what was loaded, so the engine refuses it. It is loaded to find that
// out, so its constructor's mark is the control that the mark works.
#include <xrecon/plugin.hpp>

#include "constructor_marker.hpp"

XRECON_PLUGIN_STAMP("disagreeing")

namespace {

const void* no_components() { return nullptr; }

const xrecon_plugin_descriptor descriptor{XRECON_SDK_ABI_MAJOR, XRECON_SDK_ABI_MINOR, "tomo", "0.0.1",
                                          XRECON_PLUGIN_BUILD_TAG, &no_components};

const xrecon_plugin_descriptor* get_descriptor() { return &descriptor; }

}  // namespace

BOOST_DLL_ALIAS(get_descriptor, xrecon_plugin_descriptor_v1)
