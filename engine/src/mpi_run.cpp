#include "xrecon/engine/mpi_run.hpp"

#include <cstdlib>

#include <spdlog/spdlog.h>

#include "xrecon/error.hpp"
#if XRECON_ENGINE_MPI
#include "xrecon/engine/mpi_communicator.hpp"
#endif
#if XRECON_ENGINE_MPI && XRECON_ENGINE_CUDA
#include "xrecon/engine/host_staged_communicator.hpp"
#endif

namespace xrecon::engine {

bool MpiRun::compiled() { return XRECON_ENGINE_MPI; }

#if XRECON_ENGINE_MPI

MpiRun::MpiRun() {
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_MULTIPLE, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  if (provided < MPI_THREAD_MULTIPLE) {
    MPI_Finalize();
    throw Error("this MPI library does not support MPI_THREAD_MULTIPLE, which the mpi communicator needs "
                "(every stage runs on its own thread)");
  }
}

MpiRun::~MpiRun() { MPI_Finalize(); }

std::unique_ptr<Communicator> MpiRun::make_communicator(const Device& mine) const {
  auto mpi = std::make_unique<MpiCommunicator>(MPI_COMM_WORLD);
  if (mine.kind == Device::Kind::cpu || MpiCommunicator::cuda_aware()) return mpi;
#if XRECON_ENGINE_CUDA
  return std::make_unique<HostStagedCommunicator>(std::move(mpi), "mpi-host-staged");
#else
  throw NotCompiled("CUDA devices requested, but this xrecon was built without CUDA");
#endif
}

void MpiRun::abort_job(int code) const {
  MPI_Abort(MPI_COMM_WORLD, code);
  std::abort();  // MPI_Abort does not return; this says so to the compiler
}

#else

MpiRun::MpiRun() { throw NotCompiled("communicator 'mpi' requested, but this xrecon was built without MPI"); }
MpiRun::~MpiRun() = default;
std::unique_ptr<Communicator> MpiRun::make_communicator(const Device&) const {
  throw NotCompiled("this xrecon was built without MPI");
}
void MpiRun::abort_job(int code) const { std::exit(code); }

#endif

std::vector<Device> mpi_rank_devices(const std::vector<Device>& devices, int processes) {
  if (int(devices.size()) == processes) return devices;
  if (devices.size() == 1) {
    std::vector<Device> all(std::size_t(processes), devices.front());
    if (devices.front().kind == Device::Kind::cpu)
      for (int r = 0; r < processes; ++r) all[std::size_t(r)].index = r;
    return all;
  }
  throw InputError("the mpi communicator runs one rank per process: " + std::to_string(devices.size()) +
                   " devices for " + std::to_string(processes) +
                   " processes (list one device per process, or one device for every process)");
}

}  // namespace xrecon::engine
