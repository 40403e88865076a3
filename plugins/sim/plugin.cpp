// The "sim" plugin: phantoms, simulated tomography projections (in one batch or as a stream), ptychography scans
// and joint ptycho-tomography scans.
#include <xrecon/plugin.hpp>

#include "stages.hpp"

XRECON_PLUGIN("sim", "0.1.0", xrecon::sim::phantom_spec(), xrecon::sim::tomo_spec(),
              xrecon::sim::detector_stream_spec(), xrecon::sim::ptycho_spec(), xrecon::sim::joint_scan_spec())
