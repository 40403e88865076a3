// A plugin that claims a future SDK ABI. Written by hand (not with XRECON_PLUGIN) because the
// point is a descriptor this engine must refuse before touching anything else in it.
#include <xrecon/plugin.hpp>

namespace {

const void* no_components() { return nullptr; }

const xrecon_plugin_descriptor future_descriptor{99, 3, "abifuture", "9.9.9", XRECON_BUILD_TAG, &no_components};

const xrecon_plugin_descriptor* get_descriptor() { return &future_descriptor; }

}  // namespace

// Its stamp says so too: the engine refuses it from the file, unloaded.
XRECON_PLUGIN_STAMP_WITH_TEXT("name=abifuture\nsdk-abi=99.3\nbuild=" XRECON_BUILD_TAG)
BOOST_DLL_ALIAS(get_descriptor, xrecon_plugin_descriptor_v1)
