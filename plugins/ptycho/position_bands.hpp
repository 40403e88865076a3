#pragma once
// PtyGer's hybrid decomposition: every device gets the scan positions of one spatial tile (here a
// horizontal band of the object) and a full copy of the object and probe. Compact tiles keep each
// device's gradient local; the bands hold as equal counts of positions as rounding allows.
#include <cstddef>
#include <vector>

#include <xrecon/array.hpp>

namespace xrecon::ptycho_plugin {

// The indices of the positions of each of `parts` bands, ordered by (row, col) of the window.
std::vector<std::vector<std::size_t>> position_bands(const ArrayD& positions, std::size_t parts);

// The rows of `patterns` (N, H, W) and `positions` (N, 2) listed in `indices`.
ArrayF select_patterns(const ArrayF& patterns, const std::vector<std::size_t>& indices);
ArrayD select_positions(const ArrayD& positions, const std::vector<std::size_t>& indices);

}  // namespace xrecon::ptycho_plugin
