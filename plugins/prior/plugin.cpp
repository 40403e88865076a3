// The "prior" plugin: regularisers as Prior roles (for ADMM hosts) and as stages.
#include <xrecon/plugin.hpp>

#include "tomogan_specs.hpp"

XRECON_PLUGIN("prior", "0.1.0", xrecon::prior_plugin::tomogan_prior_spec(),
              xrecon::prior_plugin::tomogan_enhance_spec())
