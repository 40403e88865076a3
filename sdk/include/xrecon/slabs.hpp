#pragma once
// Several devices for a stage whose slices are independent (parallel-beam tomography: one
// detector row per slice): the volume is split into contiguous slabs of slices, one per device of
// the context, each computed on its own thread in its device's memory (docs/architecture.md
// section 6, docs/plugin-guide.md "Several devices"). Arrays are (slices, rows, cols) volumes or
// (angles, rows, cols) projections, float.
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "xrecon/array.hpp"
#include "xrecon/context.hpp"
#include "xrecon/export.hpp"
#include "xrecon/memory_need.hpp"

namespace xrecon {

// Slab and ChunkPlan are in xrecon/memory_need.hpp (the context carries a plan).

// `parts` contiguous slabs covering `slices` in order, sizes differing by one at most; with more
// parts than slices some are empty, but never the first.
XRECON_SDK_API std::vector<Slab> split_slices(std::size_t slices, std::size_t parts);

// Runs work(rank, slab, device) for every device of the context, each on its own thread (see
// for_each_device), slab `rank` of `slices`. Virtual CPU devices share the cores: each rank's
// OpenMP loops get its share of the threads, so N ranks do not start N times the cores.
XRECON_SDK_API void for_each_slab(Context& context, std::size_t slices,
                                  const std::function<void(int rank, Slab slab, const Device& device)>& work);

// Each rank's slab (as for_each_slab splits `slices`) cut into consecutive chunks whose memory
// need fits its device (docs/architecture.md section 5): xrecon::available_bytes of the device's memory
// space (capped by XRECON_MEMORY_LIMIT), shared by the ranks on that space, less a 10% margin for
// scratch outside arrays (FFT plans, kernel tables). A slab that fits is one chunk. Throws
// InputError, naming `stage`, the device and the bytes, when not even one slice fits, or when
// `whole_slab` (a solver that couples its slices) and the slab does not fit in one chunk. Logs the
// plan when it cuts any slab.
XRECON_SDK_API std::vector<std::vector<Slab>> plan_chunks(Context& context, std::size_t slices,
                                                          const MemoryNeed& need, std::string_view stage,
                                                          bool whole_slab = false);
// The plan the engine made for this stage before it ran (its ComponentSpec states memory_need:
// Context::planned_chunks), when there is one for `slices`; otherwise plan_chunks now. A stage
// calls this where it would call plan_chunks, so it also runs under a host that made no plan
// (a unit test's context, a composite solver's role).
XRECON_SDK_API ChunkPlan chunks_for(Context& context, std::size_t slices, const MemoryNeed& need,
                                    std::string_view stage, bool whole_slab = false);

// Rows `slab` of host projections (angles, rows, cols), copied to `space`.
XRECON_SDK_API ArrayF projection_rows(const ArrayF& projections, Slab slab, MemorySpace space);
// Slices `slab` of a host volume (slices, n, n), copied to `space`.
XRECON_SDK_API ArrayF volume_slices(const ArrayF& volume, Slab slab, MemorySpace space);
// Writes a slab's slices (in any memory space) back into the host volume.
XRECON_SDK_API void put_slices(const ArrayF& slices, Slab slab, ArrayF& volume);

// After for_each_slab in a multi-process (mpi) run, each process's host volume holds only the
// slabs of the ranks it drives; this gathers the others' over the communicator so every process
// holds the whole volume (rank 0 writes it, and stages downstream see what a one-process run
// sees). Nothing to do, and no communication, when this process drives every rank. Collective
// over the processes: each calls it once from the stage's thread, after for_each_slab returned
// (it runs its own for_each_device), with the volume split as for_each_slab split it.
XRECON_SDK_API void share_slabs(Context& context, ArrayF& volume);
// The same for one number per rank (a slab's residual, say): entries of ranks other processes
// drive are filled in from those processes. Called like share_slabs.
XRECON_SDK_API void share_per_rank(Context& context, std::vector<double>& per_rank);

// Slab `rank`'s slices widened by `halo` slices of its neighbours on each side (fewer at the
// volume's ends), in the memory space of `mine`: what a prior that looks across slices (3-D TV,
// a 3-slice network input) needs so that each slab gives the slices the whole volume would.
// Collective over the context's communicator (every rank calls it from its for_each_slab thread,
// with the same slabs and halo); the neighbours' slices travel by one allgather of each rank's
// first and last `halo` slices, device to device where the communicator can. Returns `mine`
// itself when halo is 0 or there is one rank. `before` receives the number of halo slices put in front of the slab.
XRECON_SDK_API ArrayF widen_with_halo(Context& context, int rank, const std::vector<Slab>& slabs,
                                      const ArrayF& mine, std::size_t halo, std::size_t& before);
// The slab's own `count` slices of a widened array, starting at slice `before` (a copy in the
// same memory space; `widened` itself when there is no halo).
XRECON_SDK_API ArrayF drop_halo(const ArrayF& widened, std::size_t before, std::size_t count);

// "1 device", "4 devices": for the stages' summary lines.
XRECON_SDK_API std::string device_count(const Context& context);

// The context's progress reporter, advanced by several ranks at once (Progress is not thread-safe).
class SharedProgress {
 public:
  explicit SharedProgress(Progress& progress) : progress_(progress) {}
  void advance(std::size_t steps = 1) {
    std::lock_guard lock(mutex_);
    progress_.advance(steps);
  }

 private:
  std::mutex mutex_;
  Progress& progress_;
};

}  // namespace xrecon
