#pragma once
// Which communicator the stages of a run get (docs/architecture.md section 6). Chosen by `communicator:` at
// the top of the pipeline file or `xrecon run --communicator`:
//   auto     mpi when mpirun started this process as one of several; otherwise threads for CPU
//            devices, nccl for distinct GPUs, threads for a GPU listed more than once.
//   threads  ranks are threads of this process exchanging through host memory. With GPUs, device
//            buffers are staged through host memory; it is the only backend that accepts a GPU
//            listed more than once (oversubscribed: backend "threads-oversubscribed", logged).
//   nccl     one rank per distinct GPU of this node; hierarchical (inside NVLink cliques first,
//            then across PCIe) when the GPUs form more than one NVLink clique.
//   mpi      one rank per process of `mpirun -np P` (see mpi_run.hpp).
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "xrecon/communicator.hpp"
#include "xrecon/context.hpp"

namespace xrecon::engine {

enum class CommunicatorKind { automatic, threads, nccl, mpi };

// "auto", "threads", "nccl", "mpi"; nullopt for anything else.
std::optional<CommunicatorKind> parse_communicator_kind(const std::string& text);
std::string communicator_name(CommunicatorKind kind);

// Empty when this build has the backend; otherwise why it has not.
std::string communicator_not_compiled(CommunicatorKind kind);

// How many processes the launcher (mpirun, srun) started this one among; 1 when none did. Read
// from the launcher's environment, so it is known before MPI is initialised.
int launcher_process_count();

// `requested` with auto resolved for `devices` (mpi when launcher_process_count() > 1). Throws
// InputError when the backend cannot drive those devices (nccl on CPU devices or on a GPU listed
// twice) and NotCompiled when it was not built.
CommunicatorKind resolve_communicator(CommunicatorKind requested, const std::vector<Device>& devices);

// A stage's communicator over `devices` for the in-process backends (threads, nccl): rank k
// drives devices[k].
std::unique_ptr<Communicator> make_local_communicator(CommunicatorKind kind, const std::vector<Device>& devices);

}  // namespace xrecon::engine
