// A plugin whose descriptor has the right ABI but no name, version, build tag or component list.
#include <xrecon/plugin.hpp>

namespace {

const xrecon_plugin_descriptor empty_descriptor{XRECON_SDK_ABI_MAJOR, XRECON_SDK_ABI_MINOR, nullptr, nullptr, nullptr,
                                                nullptr};

const xrecon_plugin_descriptor* get_descriptor() { return &empty_descriptor; }

}  // namespace

// A valid stamp, so that the engine loads it and meets the descriptor.
XRECON_PLUGIN_STAMP("nullfields")
BOOST_DLL_ALIAS(get_descriptor, xrecon_plugin_descriptor_v1)
