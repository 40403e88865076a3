#pragma once
#include <xrecon/component.hpp>

namespace xrecon::ptycho_plugin {

ComponentSpec cg_stage_spec();
ComponentSpec cg_solver_spec();

}  // namespace xrecon::ptycho_plugin
