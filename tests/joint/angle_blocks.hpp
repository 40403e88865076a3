#pragma once
// Test data of the angle <-> slice exchange: a numbered (angles, rows, cols) stack, whose every
// value says where it belongs, and the block of it that a rank holds.
#include <algorithm>
#include <cstddef>

#include <xrecon/array.hpp>
#include <xrecon/slabs.hpp>

namespace xrecon::joint_plugin {

// (angles, rows, cols) with value 10000 a + 100 r + c.
inline ArrayF numbered(std::size_t angles, std::size_t rows, std::size_t cols) {
  ArrayF a(Shape{angles, rows, cols});
  for (std::size_t k = 0; k < angles; ++k)
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t c = 0; c < cols; ++c) a[(k * rows + r) * cols + c] = float(10000 * k + 100 * r + c);
  return a;
}

// Angles `angles` and rows `rows` of `all`, a host copy.
inline ArrayF block(const ArrayF& all, Slab angles, Slab rows) {
  const std::size_t R = all.extent(1), C = all.extent(2);
  ArrayF out(Shape{angles.size(), rows.size(), C});
  for (std::size_t k = 0; k < angles.size(); ++k)
    std::copy_n(all.data() + ((angles.begin + k) * R + rows.begin) * C, rows.size() * C,
                out.data() + k * rows.size() * C);
  return out;
}

}  // namespace xrecon::joint_plugin
