#pragma once
#include <xrecon/component.hpp>

namespace xrecon::prior_plugin {

ComponentSpec tomogan_prior_spec();    // prior.tomogan, the Prior role
ComponentSpec tomogan_enhance_spec();  // prior.tomogan_enhance, the stage

}  // namespace xrecon::prior_plugin
