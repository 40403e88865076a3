// The "io" plugin: Data Exchange, NumPy and TIFF projections in, HDF5 volumes and PNG previews
// out; CXI ptychography scans in and out.
#include <xrecon/plugin.hpp>

#include "stages.hpp"

XRECON_PLUGIN("io", "0.1.0", xrecon::io::dxchange_spec(), xrecon::io::hdf5_writer_spec(), xrecon::io::cxi_spec(),
              xrecon::io::cxi_writer_spec(), xrecon::io::npy_spec(), xrecon::io::tiff_spec())
