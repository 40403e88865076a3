#include "redistribute.hpp"

#include <algorithm>
#include <span>

namespace xrecon::joint_plugin {
namespace {

std::size_t largest(const std::vector<Slab>& slabs) {
  std::size_t n = 0;
  for (const Slab& s : slabs) n = std::max(n, s.size());
  return n;
}

}  // namespace

ArrayF angles_to_slices(Communicator& communicator, int rank, const std::vector<Slab>& angle_slabs,
                        const std::vector<Slab>& row_slabs, const ArrayF& mine) {
  const std::size_t ranks = angle_slabs.size(), angles = angle_slabs.back().end, rows = row_slabs.back().end;
  const std::size_t cols = mine.extent(2);
  const Slab my_angles = angle_slabs[std::size_t(rank)], my_rows = row_slabs[std::size_t(rank)];
  XRECON_CHECK(mine.shape() == (Shape{my_angles.size(), rows, cols}), "angles_to_slices: rank " + std::to_string(rank) +
                                                                           " holds " + mine.shape().to_string());
  const std::size_t row_block = largest(row_slabs), block = angles * row_block * cols;
  std::vector<float> sent(ranks * block, 0.0f), received(block);
  const float* from = mine.data();
  for (std::size_t k = 0; k < my_angles.size(); ++k) {
    const std::size_t angle = my_angles.begin + k;
    for (std::size_t s = 0; s < ranks; ++s)
      std::copy_n(from + (k * rows + row_slabs[s].begin) * cols, row_slabs[s].size() * cols,
                  sent.data() + s * block + angle * row_block * cols);
  }
  communicator.reduce_scatter_sum(rank, sent, received);
  ArrayF out(Shape{angles, my_rows.size(), cols});
  for (std::size_t a = 0; a < angles; ++a)
    std::copy_n(received.data() + a * row_block * cols, my_rows.size() * cols, out.data() + a * my_rows.size() * cols);
  return out;
}

ArrayF slices_to_angles(Communicator& communicator, int rank, const std::vector<Slab>& angle_slabs,
                        const std::vector<Slab>& row_slabs, const ArrayF& mine) {
  const std::size_t ranks = angle_slabs.size(), angles = angle_slabs.back().end, rows = row_slabs.back().end;
  const std::size_t cols = mine.extent(2);
  const Slab my_angles = angle_slabs[std::size_t(rank)], my_rows = row_slabs[std::size_t(rank)];
  XRECON_CHECK(mine.shape() == (Shape{angles, my_rows.size(), cols}), "slices_to_angles: rank " + std::to_string(rank) +
                                                                          " holds " + mine.shape().to_string());
  const std::size_t angle_block = largest(angle_slabs), block = angle_block * rows * cols;
  std::vector<float> sent(ranks * block, 0.0f), received(block);
  const float* from = mine.data();
  for (std::size_t s = 0; s < ranks; ++s)
    for (std::size_t angle = angle_slabs[s].begin; angle < angle_slabs[s].end; ++angle)
      std::copy_n(from + angle * my_rows.size() * cols, my_rows.size() * cols,
                  sent.data() + s * block + ((angle - angle_slabs[s].begin) * rows + my_rows.begin) * cols);
  communicator.reduce_scatter_sum(rank, sent, received);
  ArrayF out(Shape{my_angles.size(), rows, cols});
  std::copy_n(received.data(), out.size(), out.data());
  return out;
}

}  // namespace xrecon::joint_plugin
