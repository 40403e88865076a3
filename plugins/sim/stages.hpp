#pragma once
// The stages of the "sim" plugin, one file each.
#include <xrecon/component.hpp>

namespace xrecon::sim {

ComponentSpec phantom_spec();
ComponentSpec tomo_spec();
ComponentSpec detector_stream_spec();
ComponentSpec ptycho_spec();
ComponentSpec joint_scan_spec();

}  // namespace xrecon::sim
