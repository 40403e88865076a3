#pragma once
// The FBP filter as a frequency response, computed once on the host and applied by every backend.
#include <cstddef>
#include <vector>

#include "xrecon/tomo/fbp.hpp"

namespace xrecon::tomo::detail {

// The windowed ramp for rows zero-padded to `length` (filter_padded_length), bins 0 .. length / 2,
// divided by `length` so that an unnormalised forward and inverse FFT pair applies it exactly.
std::vector<float> ramp_response(std::size_t length, FilterWindow window);

}  // namespace xrecon::tomo::detail
