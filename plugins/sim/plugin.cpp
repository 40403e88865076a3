// The "sim" plugin: phantoms and simulated tomography projections, in one batch or as a stream.
#include <xrecon/plugin.hpp>

#include "stages.hpp"

XRECON_PLUGIN("sim", "0.1.0", xrecon::sim::phantom_spec(), xrecon::sim::tomo_spec(),
              xrecon::sim::detector_stream_spec())
