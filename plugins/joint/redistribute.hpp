#pragma once
// The change of distribution between joint.admm's two steps: the psi-step holds projections by
// angle (each rank its angles, every detector row), the u-step by slice (each rank its rows, every
// angle). The exchange is an all-to-all through the stage's communicator, written as one
// reduce-scatter of a buffer in which each rank fills, for every other rank, the part it owns
// and leaves zeros elsewhere: each element then has exactly one non-zero contribution, so the sum
// is exact and the result is what an all-to-all delivers, whatever the backend (threads, NCCL,
// MPI) implements. (angles, rows, cols) float arrays in any memory space, the result in that of
// `mine`: on a GPU the buffers stay in device memory (NCCL takes them as they are; the threads and
// MPI backends stage them through the host themselves).
#include <vector>

#include <xrecon/array.hpp>
#include <xrecon/communicator.hpp>
#include <xrecon/slabs.hpp>

namespace xrecon::joint_plugin {

// `mine` (this rank's angles, rows, cols) -> (all angles, this rank's rows, cols).
ArrayF angles_to_slices(Communicator& communicator, int rank, const std::vector<Slab>& angle_slabs,
                        const std::vector<Slab>& row_slabs, const ArrayF& mine);

// `mine` (all angles, this rank's rows, cols) -> (this rank's angles, rows, cols).
ArrayF slices_to_angles(Communicator& communicator, int rank, const std::vector<Slab>& angle_slabs,
                        const std::vector<Slab>& row_slabs, const ArrayF& mine);

}  // namespace xrecon::joint_plugin
