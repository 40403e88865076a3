// A plugin stamped as built by another compiler, with code that runs when it is loaded: the
// engine must refuse it from its stamp, without loading it.
#include <xrecon/plugin.hpp>

#include "constructor_marker.hpp"

XRECON_PLUGIN_STAMP_WITH_TEXT("name=foreigncompiler\nsdk-abi=" XRECON_SDK_ABI_STRING "\nbuild=othercc-1;libstdc++-abi0")

namespace {

const void* no_components() { return nullptr; }

const xrecon_plugin_descriptor descriptor{XRECON_SDK_ABI_MAJOR, XRECON_SDK_ABI_MINOR, "foreigncompiler", "0.0.1",
                                          "othercc-1;libstdc++-abi0", &no_components};

const xrecon_plugin_descriptor* get_descriptor() { return &descriptor; }

}  // namespace

BOOST_DLL_ALIAS(get_descriptor, xrecon_plugin_descriptor_v1)
