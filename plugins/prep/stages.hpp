#pragma once
#include <xrecon/component.hpp>

namespace xrecon::prep_plugin {

ComponentSpec normalize_spec();
ComponentSpec find_center_spec();

}  // namespace xrecon::prep_plugin
