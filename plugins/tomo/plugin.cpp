#include <xrecon/plugin.hpp>

#include "stages.hpp"

XRECON_PLUGIN("tomo", "0.1.0", xrecon::tomo_plugin::fbp_spec(), xrecon::tomo_plugin::sirt_spec(),
              xrecon::tomo_plugin::cgls_spec(), xrecon::tomo_plugin::cgls_solver_spec(), xrecon::tomo_plugin::admm_spec())
