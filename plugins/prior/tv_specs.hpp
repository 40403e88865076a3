#pragma once
#include <xrecon/component.hpp>

namespace xrecon::prior_plugin {

ComponentSpec tv_prior_spec();    // prior.tv, the Prior role
ComponentSpec tv_denoise_spec();  // prior.tv_denoise, the stage

}  // namespace xrecon::prior_plugin
