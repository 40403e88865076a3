// A plugin whose descriptor function returns NULL (hand-written: XRECON_PLUGIN cannot make one).
#include <xrecon/plugin.hpp>

namespace {

const xrecon_plugin_descriptor* get_descriptor() { return nullptr; }

}  // namespace

// A valid stamp, so that the engine loads it and meets the descriptor.
XRECON_PLUGIN_STAMP("nulldescriptor")
BOOST_DLL_ALIAS(get_descriptor, xrecon_plugin_descriptor_v1)
