#pragma once
// A multi-process run: `mpirun -np P xrecon run FILE` (communicator mpi). DESIGN-style notes:
// - Ranks are processes: process p is rank p of every stage's communicator, whose size() is P.
//   Every process's Context lists all P ranks' devices (rank k drives devices()[k]), so a stage
//   splits its work by devices().size() exactly as in one process, and for_each_device runs only
//   the rank this process drives (Communicator::drives_rank). Stages whose result is assembled
//   through the communicator (ptycho.cg: replicated object, summed gradients) give rank 0 the
//   one-process result; the tomography stages put their slabs into host memory without a
//   gather, so in an mpi run rank 0 holds only its own slab (not yet supported there).
// - Devices: the pipeline's device list names one device per process (cpu:P, cuda:0,1,...), or
//   one device that every process uses (cpu, or cuda:0 on each node).
// - Files: a stage without outputs (a writer) runs only on rank 0; on the other ranks its inputs
//   are dropped, so no two processes write the same file. Stages with outputs run everywhere,
//   since their collectives need every rank.
// - Failure: the first failing stage of any process ends the whole job (MPI_Abort) after saying
//   why, since its peers may be waiting for it in a collective that nothing else can wake.
#include <memory>
#include <string>
#include <vector>

#include "xrecon/communicator.hpp"
#include "xrecon/context.hpp"

namespace xrecon::engine {

// The devices of the ranks of a run over `processes` processes: `devices` itself when it has one
// entry per process, or its one entry for every process (a CPU device numbered by rank). Throws
// InputError otherwise.
std::vector<Device> mpi_rank_devices(const std::vector<Device>& devices, int processes);

class MpiRun {
 public:
  // Initialises MPI with MPI_THREAD_MULTIPLE (stages run on their own threads and call
  // collectives concurrently). Throws NotCompiled in a build without MPI, Error when the library
  // does not provide that thread level.
  MpiRun();
  ~MpiRun();  // MPI_Finalize
  MpiRun(const MpiRun&) = delete;
  MpiRun& operator=(const MpiRun&) = delete;

  static bool compiled();
  int rank() const { return rank_; }
  int size() const { return size_; }

  // One stage's communicator (a duplicate of MPI_COMM_WORLD), rank() driving `mine`. Device
  // buffers go to MPI directly when it is CUDA-aware, through host memory otherwise. Collective:
  // every process makes its stages' communicators in the same order.
  std::unique_ptr<Communicator> make_communicator(const Device& mine) const;

  // Ends every process of the job with `code` (MPI_Abort).
  [[noreturn]] void abort_job(int code) const;

 private:
  int rank_ = 0;
  int size_ = 1;
};

}  // namespace xrecon::engine
