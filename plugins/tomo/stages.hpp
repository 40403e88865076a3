#pragma once
// The components of the tomography plugin; XRECON_PLUGIN in plugin.cpp lists them.
#include <xrecon/component.hpp>

namespace xrecon::tomo_plugin {

ComponentSpec fbp_spec();   // tomo.fbp
ComponentSpec sirt_spec();  // tomo.sirt
ComponentSpec cgls_spec();  // tomo.cgls
ComponentSpec cgls_solver_spec();  // tomo.cgls_solver, a TomoSolver
ComponentSpec admm_spec();  // tomo.admm, hosting a TomoSolver and a Prior

}  // namespace xrecon::tomo_plugin
