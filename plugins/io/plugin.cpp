// The "io" plugin: Data Exchange projections in, HDF5 volumes and PNG previews out.
#include <xrecon/plugin.hpp>

#include "stages.hpp"

XRECON_PLUGIN("io", "0.1.0", xrecon::io::dxchange_spec(), xrecon::io::hdf5_writer_spec())
