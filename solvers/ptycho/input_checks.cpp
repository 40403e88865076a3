#include "input_checks.hpp"

#include <cmath>
#include <sstream>
#include <string>

namespace xrecon::ptycho::detail {
namespace {

std::string number(double value) {
  std::ostringstream s;
  s << value;
  return s.str();
}

}  // namespace

void check_scan(const ArrayCF& object, const ArrayCF& probe, const ArrayD& positions) {
  XRECON_CHECK(object.rank() == 2 && !object.empty(),
               "the ptychography object must be a non-empty (rows, cols) array, got " + object.shape().to_string());
  XRECON_CHECK(probe.rank() == 2 && !probe.empty(),
               "the probe must be a non-empty (rows, cols) array, got " + probe.shape().to_string());
  XRECON_CHECK(positions.rank() == 2 && positions.extent(1) == 2,
               "scan positions must have shape (N, 2), got " + positions.shape().to_string());
  // Positions are few: a device copy is checked on the host.
  const ArrayD host_positions = positions.space().is_host() ? positions : positions.to(MemorySpace::host());
  const double rows = double(object.extent(0)), cols = double(object.extent(1));
  const double h = double(probe.extent(0)), w = double(probe.extent(1));
  for (std::size_t j = 0; j < positions.extent(0); ++j) {
    const double row = host_positions[2 * j], col = host_positions[2 * j + 1];
    const bool inside = std::isfinite(row) && std::isfinite(col) && row >= 0 && col >= 0 && row + h <= rows &&
                        col + w <= cols;
    XRECON_CHECK(inside, "scan position " + std::to_string(j) + " (row " + number(row) + ", col " + number(col) +
                             ") puts the " + probe.shape().to_string() + " probe window outside the " +
                             object.shape().to_string() + " object");
  }
}

void check_patterns(const ArrayF& patterns, const ArrayCF& probe, const ArrayD& positions) {
  XRECON_CHECK(patterns.rank() == 3, "diffraction patterns must have shape (N, H, W), got " + patterns.shape().to_string());
  XRECON_CHECK(patterns.extent(0) == positions.extent(0),
               "there are " + std::to_string(patterns.extent(0)) + " diffraction patterns but " +
                   std::to_string(positions.extent(0)) + " scan positions");
  XRECON_CHECK(probe.extent(0) <= patterns.extent(1) && probe.extent(1) <= patterns.extent(2),
               "the " + probe.shape().to_string() + " probe is larger than the " + std::to_string(patterns.extent(1)) +
                   "x" + std::to_string(patterns.extent(2)) + " detector");
  const std::size_t frame = patterns.extent(1) * patterns.extent(2);
  // Patterns on a GPU are checked from a host copy, once per reconstruction.
  const ArrayF host_patterns = patterns.space().is_host() ? patterns : patterns.to(MemorySpace::host());
  for (std::size_t i = 0; i < host_patterns.size(); ++i) {
    const float d = host_patterns[i];
    if (std::isfinite(d) && d >= 0) continue;
    const std::size_t j = i / frame, y = i % frame / patterns.extent(2), x = i % patterns.extent(2);
    XRECON_CHECK(false, "diffraction pattern " + std::to_string(j) + " has intensity " + number(d) + " at (" +
                            std::to_string(y) + ", " + std::to_string(x) + "); intensities must be finite and >= 0");
  }
}

}  // namespace xrecon::ptycho::detail
