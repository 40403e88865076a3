// A library that exports the descriptor symbol but carries no stamp (built by hand against an
// older SDK, or not a plugin at all), and has code that runs when it is loaded: the engine must
// refuse it from the file, without loading it.
#include <xrecon/plugin.hpp>

#include "constructor_marker.hpp"

namespace {

const void* no_components() { return nullptr; }

const xrecon_plugin_descriptor descriptor{XRECON_SDK_ABI_MAJOR, XRECON_SDK_ABI_MINOR, "unstamped", "0.0.1",
                                          XRECON_PLUGIN_BUILD_TAG, &no_components};

const xrecon_plugin_descriptor* get_descriptor() { return &descriptor; }

}  // namespace

BOOST_DLL_ALIAS(get_descriptor, xrecon_plugin_descriptor_v1)
