#include "redistribute.hpp"

#include <algorithm>
#include <span>
#include <string>

#include <xrecon/linalg/array_ops.hpp>

namespace xrecon::joint_plugin {
namespace {

std::size_t largest(const std::vector<Slab>& slabs) {
  std::size_t n = 0;
  for (const Slab& s : slabs) n = std::max(n, s.size());
  return n;
}

// `count` floats from `from` (at `from_offset`) to `to` (at `to_offset`), each in its own space.
void copy_floats(const ArrayF& from, std::size_t from_offset, ArrayF& to, std::size_t to_offset, std::size_t count) {
  copy_bytes(to.data() + to_offset, to.space(), from.data() + from_offset, from.space(), count * sizeof(float));
}

// The send buffer of the exchange: `ranks` blocks of `block` values, zero where this rank sends
// nothing, in the space of the rank's data (the communicators take device buffers as they are).
ArrayF send_buffer(std::size_t ranks, std::size_t block, MemorySpace space) {
  ArrayF sent(Shape{ranks * block}, space);
  linalg::fill(sent, 0.0f);
  return sent;
}

// Block `rank` of the sum of every rank's `sent`, in the same space.
ArrayF exchanged(Communicator& communicator, int rank, const ArrayF& sent, std::size_t block) {
  ArrayF received(Shape{block}, sent.space());
  communicator.reduce_scatter_sum(rank, std::span<const float>(sent.data(), sent.size()),
                                  std::span<float>(received.data(), received.size()));
  return received;
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
  ArrayF sent = send_buffer(ranks, block, mine.space());
  for (std::size_t k = 0; k < my_angles.size(); ++k) {
    const std::size_t angle = my_angles.begin + k;
    for (std::size_t s = 0; s < ranks; ++s)
      copy_floats(mine, (k * rows + row_slabs[s].begin) * cols, sent, s * block + angle * row_block * cols,
                  row_slabs[s].size() * cols);
  }
  const ArrayF received = exchanged(communicator, rank, sent, block);
  ArrayF out(Shape{angles, my_rows.size(), cols}, mine.space());
  for (std::size_t a = 0; a < angles; ++a)
    copy_floats(received, a * row_block * cols, out, a * my_rows.size() * cols, my_rows.size() * cols);
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
  ArrayF sent = send_buffer(ranks, block, mine.space());
  for (std::size_t s = 0; s < ranks; ++s)
    for (std::size_t angle = angle_slabs[s].begin; angle < angle_slabs[s].end; ++angle)
      copy_floats(mine, angle * my_rows.size() * cols, sent,
                  s * block + ((angle - angle_slabs[s].begin) * rows + my_rows.begin) * cols, my_rows.size() * cols);
  const ArrayF received = exchanged(communicator, rank, sent, block);
  ArrayF out(Shape{my_angles.size(), rows, cols}, mine.space());
  copy_floats(received, 0, out, 0, out.size());
  return out;
}

}  // namespace xrecon::joint_plugin
