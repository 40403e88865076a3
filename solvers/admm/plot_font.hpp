#pragma once
// A 5x7 pixel font for the labels of the convergence plot: no font library is needed for a few
// upper-case words and numbers. Each glyph is five columns, bit 0 the top row (the layout of the
// classic HD44780-style LCD fonts).
#include <array>
#include <cstdint>

namespace xrecon::admm::detail {

using Glyph = std::array<std::uint8_t, 5>;

// The glyph of `c` (lower case drawn as upper case); a blank for characters it lacks.
Glyph glyph_of(char c);

}  // namespace xrecon::admm::detail
