#include "position_bands.hpp"

#include <algorithm>
#include <cstring>
#include <numeric>

namespace xrecon::ptycho_plugin {

std::vector<std::vector<std::size_t>> position_bands(const ArrayD& positions, std::size_t parts) {
  const std::size_t n = positions.extent(0);
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::make_pair(positions[2 * a], positions[2 * a + 1]) < std::make_pair(positions[2 * b], positions[2 * b + 1]);
  });
  std::vector<std::vector<std::size_t>> bands(parts);
  for (std::size_t p = 0; p < parts; ++p)
    bands[p].assign(order.begin() + std::ptrdiff_t(p * n / parts), order.begin() + std::ptrdiff_t((p + 1) * n / parts));
  return bands;
}

ArrayF select_patterns(const ArrayF& patterns, const std::vector<std::size_t>& indices) {
  const std::size_t h = patterns.extent(1), w = patterns.extent(2);
  ArrayF out({indices.size(), h, w});
  for (std::size_t k = 0; k < indices.size(); ++k)
    std::memcpy(out.data() + k * h * w, patterns.data() + indices[k] * h * w, h * w * sizeof(float));
  return out;
}

ArrayD select_positions(const ArrayD& positions, const std::vector<std::size_t>& indices) {
  ArrayD out({indices.size(), 2});
  for (std::size_t k = 0; k < indices.size(); ++k) {
    out[2 * k] = positions[2 * indices[k]];
    out[2 * k + 1] = positions[2 * indices[k] + 1];
  }
  return out;
}

}  // namespace xrecon::ptycho_plugin
