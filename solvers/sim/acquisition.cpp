#include "xrecon/sim/acquisition.hpp"

#include <bit>
#include <numbers>

#include "xrecon/error.hpp"

namespace xrecon::sim {
namespace {

// The indices 0 .. n - 1, each rotation in the requested order.
std::vector<std::size_t> one_rotation(std::size_t n, AngleOrder order) {
  std::vector<std::size_t> indices;
  indices.reserve(n);
  if (order == AngleOrder::sequential) {
    for (std::size_t k = 0; k < n; ++k) indices.push_back(k);
    return indices;
  }
  const std::size_t padded = std::bit_ceil(n);
  const int bits = std::countr_zero(padded);
  for (std::size_t k = 0; k < padded; ++k) {
    std::size_t reversed = 0;
    for (int b = 0; b < bits; ++b) reversed |= ((k >> b) & 1u) << (bits - 1 - b);
    if (reversed < n) indices.push_back(reversed);
  }
  return indices;
}

}  // namespace

std::vector<double> acquisition_angles(std::size_t per_rotation, std::size_t rotations, AngleOrder order) {
  XRECON_CHECK(per_rotation > 0, "a rotation needs at least one projection");
  const std::vector<std::size_t> indices = one_rotation(per_rotation, order);
  std::vector<double> angles;
  angles.reserve(per_rotation * rotations);
  for (std::size_t r = 0; r < rotations; ++r)
    for (std::size_t k : indices) angles.push_back(std::numbers::pi * double(k) / double(per_rotation));
  return angles;
}

}  // namespace xrecon::sim
