#pragma once
// What the projecting stages ask of their input volume.
#include <string>

#include <xrecon/payload.hpp>

namespace xrecon::sim {

// The projector works on square slices: (z, n, n).
inline void require_square_slices(const ArrayF& volume, const std::string& stage) {
  if (volume.rank() != 3 || volume.extent(1) != volume.extent(2))
    throw InputError(stage + " needs a volume of square slices (z, n, n), got " + volume.shape().to_string());
}

}  // namespace xrecon::sim
