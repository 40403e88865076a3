// The "joint" plugin: joint ptycho-tomography.
#include <xrecon/plugin.hpp>

#include "stages.hpp"

XRECON_PLUGIN("joint", "0.1.0", xrecon::joint_plugin::joint_admm_spec())
