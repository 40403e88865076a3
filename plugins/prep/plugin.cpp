// The "prep" plugin: preprocessing stages between a reader and a reconstruction.
#include <xrecon/plugin.hpp>

#include "stages.hpp"

XRECON_PLUGIN("prep", "0.1.0", xrecon::prep_plugin::normalize_spec(), xrecon::prep_plugin::find_center_spec())
