// The "stream" plugin: streaming reconstruction stages (sliding-window SIRT).
#include <xrecon/plugin.hpp>

#include "stages.hpp"

XRECON_PLUGIN("stream", "0.1.0", xrecon::stream::sirt_stream_spec())
