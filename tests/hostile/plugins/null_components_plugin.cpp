// A plugin whose descriptor is whole but whose component function returns NULL.
#include <xrecon/plugin.hpp>

namespace {

const void* no_components() { return nullptr; }

const xrecon_plugin_descriptor descriptor{XRECON_SDK_ABI_MAJOR, XRECON_SDK_ABI_MINOR, "nullcomponents", "0.0.1",
                                          XRECON_PLUGIN_BUILD_TAG, &no_components};

const xrecon_plugin_descriptor* get_descriptor() { return &descriptor; }

}  // namespace

// A valid stamp, so that the engine loads it and meets the descriptor.
XRECON_PLUGIN_STAMP("nullcomponents")
BOOST_DLL_ALIAS(get_descriptor, xrecon_plugin_descriptor_v1)
