// The "prior" plugin: regularisers as Prior roles (for ADMM hosts) and as stages.
#include <xrecon/plugin.hpp>

#include "tomogan_specs.hpp"
#include "tv_specs.hpp"

XRECON_PLUGIN("prior", "0.1.0", xrecon::prior_plugin::tomogan_prior_spec(),
              xrecon::prior_plugin::tomogan_enhance_spec(), xrecon::prior_plugin::tv_prior_spec(),
              xrecon::prior_plugin::tv_denoise_spec())
