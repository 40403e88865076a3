#pragma once
// Checkpoints of an ADMM host that runs one rank per device (tomo.admm, joint.admm): each rank
// saves its own arrays under "admm.NAME.rankR", all with the iteration as their step, and a run
// resumes only when every rank finds a complete state of one iteration, so that ranks never
// disagree on where they are.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "xrecon/communicator.hpp"
#include "xrecon/context.hpp"

namespace xrecon::admm {

using NamedArray = std::pair<std::string, ArrayF>;

// Host copies of `arrays` (any memory space) saved with step `step`.
void save_rank_state(CheckpointStore& store, int rank, const std::vector<NamedArray>& arrays, std::int64_t step);

// The arrays named in `expected`, each of the given shape, saved with one step (returned in
// `step`); nullopt when any is missing, of another shape, or of another step. Host memory.
std::optional<std::vector<ArrayF>> load_rank_state(CheckpointStore& store, int rank,
                                                   const std::vector<std::pair<std::string, Shape>>& expected,
                                                   std::int64_t& step);

// Collective: true on every rank when every rank found a state (`mine`) of the same step.
bool every_rank_resumes(Communicator& communicator, int rank, std::optional<std::int64_t> mine);

// A checkpoint past the iterations now asked for holds a result the user did not ask for (more
// iterations than requested): refused, naming the stage and both counts (issue 13).
void require_resumable_step(std::size_t done, std::size_t iterations, const std::string& stage);

// A complex array as (..., 2) floats and back, for stores that keep float arrays.
ArrayF interleaved(const ArrayCF& a);
ArrayCF from_interleaved(const ArrayF& a);

}  // namespace xrecon::admm
