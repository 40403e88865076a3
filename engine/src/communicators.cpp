#include "xrecon/engine/communicators.hpp"

#include <cstdlib>
#include <set>

#include "xrecon/engine/thread_communicator.hpp"
#include "xrecon/error.hpp"
#if XRECON_ENGINE_CUDA
#include "xrecon/engine/cuda_communicator.hpp"
#endif

namespace xrecon::engine {

std::optional<CommunicatorKind> parse_communicator_kind(const std::string& text) {
  if (text == "auto") return CommunicatorKind::automatic;
  if (text == "threads") return CommunicatorKind::threads;
  if (text == "nccl") return CommunicatorKind::nccl;
  if (text == "mpi") return CommunicatorKind::mpi;
  return std::nullopt;
}

std::string communicator_name(CommunicatorKind kind) {
  switch (kind) {
    case CommunicatorKind::automatic: return "auto";
    case CommunicatorKind::threads: return "threads";
    case CommunicatorKind::nccl: return "nccl";
    case CommunicatorKind::mpi: return "mpi";
  }
  return "?";
}

std::string communicator_not_compiled(CommunicatorKind kind) {
  if (kind == CommunicatorKind::nccl && !XRECON_ENGINE_CUDA)
    return "communicator 'nccl' requested, but this xrecon was built without CUDA (and so without NCCL)";
  if (kind == CommunicatorKind::mpi && !XRECON_ENGINE_MPI)
    return "communicator 'mpi' requested, but this xrecon was built without MPI (CMake found no MPI library)";
  return "";
}

int launcher_process_count() {
  // Open MPI's mpirun, then PMI/PMIx launchers (MPICH's hydra, Slurm's srun).
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_SIZE", "PMI_SIZE"})
    if (const char* value = std::getenv(name)) {
      const int n = std::atoi(value);
      if (n > 0) return n;
    }
  return 1;
}

CommunicatorKind resolve_communicator(CommunicatorKind requested, const std::vector<Device>& devices) {
  bool any_cpu = false;
  std::set<int> gpus;
  std::size_t gpu_ranks = 0;
  for (const Device& d : devices) {
    if (d.kind == Device::Kind::cpu) {
      any_cpu = true;
    } else {
      gpus.insert(d.index);
      ++gpu_ranks;
    }
  }
  CommunicatorKind kind = requested;
  if (kind == CommunicatorKind::automatic) {
    if (launcher_process_count() > 1) {
      kind = CommunicatorKind::mpi;
      if (!XRECON_ENGINE_MPI)
        throw NotCompiled("started by mpirun as one of " + std::to_string(launcher_process_count()) +
                          " processes, but this xrecon was built without MPI: every process would run the whole "
                          "pipeline and write the same files");
    } else {
      kind = any_cpu || gpus.size() != gpu_ranks || gpu_ranks == 1 ? CommunicatorKind::threads : CommunicatorKind::nccl;
    }
  }
  if (const std::string why = communicator_not_compiled(kind); !why.empty()) throw NotCompiled(why);
  if (kind == CommunicatorKind::nccl) {
    if (any_cpu) throw InputError("communicator 'nccl' needs CUDA devices (devices are CPU; use threads or mpi)");
    if (gpus.size() != gpu_ranks)
      throw InputError("communicator 'nccl' needs one GPU per rank, and a GPU is listed more than once "
                       "(communicator 'threads' places several ranks on one GPU)");
  }
  return kind;
}

std::unique_ptr<Communicator> make_local_communicator(CommunicatorKind kind, const std::vector<Device>& devices) {
  XRECON_CHECK(kind == CommunicatorKind::threads || kind == CommunicatorKind::nccl,
               "communicator '" + communicator_name(kind) + "' is not an in-process backend");
  const bool on_gpus = !devices.empty() && devices.front().kind == Device::Kind::cuda;
  if (!on_gpus) return std::make_unique<ThreadCommunicator>(int(devices.size()));
#if XRECON_ENGINE_CUDA
  std::vector<int> indices;
  for (const Device& d : devices) indices.push_back(d.index);
  return make_cuda_communicator(indices, kind == CommunicatorKind::nccl);
#else
  throw NotCompiled("CUDA devices requested, but this xrecon was built without CUDA");
#endif
}

}  // namespace xrecon::engine
