#pragma once
// InputError for inputs the model cannot take, each message naming the offending item.
#include "xrecon/array.hpp"

namespace xrecon::ptycho::detail {

// Object (rows, cols) and probe (h, w) non-empty host arrays; positions (N, 2), finite, every
// window inside the object: 0 <= row, row + h <= rows, and the same for columns.
void check_scan(const ArrayCF& object, const ArrayCF& probe, const ArrayD& positions);
// Patterns (N, H, W) for the same N as the positions, H >= h and W >= w, every intensity finite
// and >= 0.
void check_patterns(const ArrayF& patterns, const ArrayCF& probe, const ArrayD& positions);

}  // namespace xrecon::ptycho::detail
