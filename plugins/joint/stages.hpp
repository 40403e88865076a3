#pragma once
// The components of the joint plugin; XRECON_PLUGIN in plugin.cpp lists them.
#include <xrecon/component.hpp>

namespace xrecon::joint_plugin {

ComponentSpec joint_admm_spec();  // joint.admm

}  // namespace xrecon::joint_plugin
