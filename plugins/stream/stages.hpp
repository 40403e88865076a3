#pragma once
// The stages of the "stream" plugin, one file each.
#include <xrecon/component.hpp>

namespace xrecon::stream {

ComponentSpec sirt_stream_spec();

}  // namespace xrecon::stream
