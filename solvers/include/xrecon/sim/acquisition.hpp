#pragma once
// The order in which a simulated detector acquires projections during a continuous scan.
#include <cstddef>
#include <vector>

namespace xrecon::sim {

enum class AngleOrder {
  // k * pi / N for k = 0, 1, ..., N - 1: a plain step scan.
  sequential,
  // The same N angles in bit-reversed order of k (the "interlaced" scan of the TomoGAN streaming
  // work): every prefix of a rotation is spread over the whole half turn, so a window of recent
  // projections sees the object from all sides instead of a narrow wedge. For N a power of two
  // it is the bit-reversal permutation; otherwise the bit-reversed sequence of the next power of
  // two with the indices >= N left out.
  interleaved,
};

// The angle (radians, in [0, pi)) of each projection of `rotations` rotations of
// `per_rotation` projections each. Every rotation repeats the angles of the first: a parallel
// beam needs only a half turn, and the projection at theta + pi is the mirror image of the one
// at theta, so a turning stage is described by its angle modulo pi.
std::vector<double> acquisition_angles(std::size_t per_rotation, std::size_t rotations, AngleOrder order);

}  // namespace xrecon::sim
