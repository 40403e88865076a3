#pragma once
// The stages of the "io" plugin, one file each.
#include <xrecon/component.hpp>

namespace xrecon::io {

ComponentSpec dxchange_spec();
ComponentSpec hdf5_writer_spec();
ComponentSpec cxi_spec();
ComponentSpec cxi_writer_spec();
ComponentSpec npy_spec();
ComponentSpec tiff_spec();

}  // namespace xrecon::io
