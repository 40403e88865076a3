// The "ptycho" plugin: far-field ptychography by conjugate gradients, as a stage and as the
// PtychoSolver role that joint ADMM hosts.
#include <xrecon/plugin.hpp>

#include "stages.hpp"

XRECON_PLUGIN("ptycho", "0.1.0", xrecon::ptycho_plugin::cg_stage_spec(), xrecon::ptycho_plugin::cg_solver_spec())
