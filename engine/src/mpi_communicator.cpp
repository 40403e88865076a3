#include "xrecon/engine/mpi_communicator.hpp"

#include <climits>
#include <string>

#if __has_include(<mpi-ext.h>)
#include <mpi-ext.h>
#endif

#include "xrecon/error.hpp"

namespace xrecon::engine {

namespace {

// MPI counts are int: larger buffers are refused rather than silently truncated.
int count_of(std::size_t n, const char* operation) {
  XRECON_CHECK(n <= std::size_t(INT_MAX), std::string(operation) + ": " + std::to_string(n) +
                                              " elements exceed what one MPI call carries");
  return int(n);
}

// With MPI_ERRORS_RETURN set on our communicator, failures come back here instead of ending the job.
void check(int status, const char* operation) {
  if (status == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(status, text, &length);
  throw Error(std::string(operation) + " failed in MPI: " + std::string(text, std::size_t(length)));
}

}  // namespace

MpiCommunicator::MpiCommunicator(MPI_Comm parent) {
  int initialized = 0;
  MPI_Initialized(&initialized);
  XRECON_CHECK(initialized, "the mpi communicator needs MPI_Init to have been called");
  check(MPI_Comm_dup(parent, &comm_), "MPI_Comm_dup");
  MPI_Comm_set_errhandler(comm_, MPI_ERRORS_RETURN);
  MPI_Comm_size(comm_, &size_);
  MPI_Comm_rank(comm_, &rank_);
}

MpiCommunicator::~MpiCommunicator() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized && comm_ != MPI_COMM_NULL) MPI_Comm_free(&comm_);
}

bool MpiCommunicator::cuda_aware() {
#if defined(MPIX_CUDA_AWARE_SUPPORT) && MPIX_CUDA_AWARE_SUPPORT
  return MPIX_Query_cuda_support() == 1;
#else
  return false;
#endif
}

void MpiCommunicator::check_rank(int rank, const char* operation) const {
  XRECON_CHECK(rank == rank_, std::string(operation) + ": this process is mpi rank " + std::to_string(rank_) +
                                  ", not " + std::to_string(rank));
}

void MpiCommunicator::allreduce_sum(int rank, std::span<double> values) {
  check_rank(rank, "allreduce_sum");
  check(MPI_Allreduce(MPI_IN_PLACE, values.data(), count_of(values.size(), "allreduce_sum"), MPI_DOUBLE, MPI_SUM, comm_),
        "allreduce_sum");
}

void MpiCommunicator::allreduce_sum(int rank, std::span<float> values) {
  check_rank(rank, "allreduce_sum");
  check(MPI_Allreduce(MPI_IN_PLACE, values.data(), count_of(values.size(), "allreduce_sum"), MPI_FLOAT, MPI_SUM, comm_),
        "allreduce_sum");
}

void MpiCommunicator::reduce_sum(int rank, int root, std::span<float> values) {
  check_rank(rank, "reduce_sum");
  const int count = count_of(values.size(), "reduce_sum");
  // MPI_IN_PLACE is the root's send buffer; the others' buffers are only read.
  if (rank == root)
    check(MPI_Reduce(MPI_IN_PLACE, values.data(), count, MPI_FLOAT, MPI_SUM, root, comm_), "reduce_sum");
  else
    check(MPI_Reduce(values.data(), nullptr, count, MPI_FLOAT, MPI_SUM, root, comm_), "reduce_sum");
}

void MpiCommunicator::broadcast(int rank, int root, std::span<std::byte> bytes) {
  check_rank(rank, "broadcast");
  check(MPI_Bcast(bytes.data(), count_of(bytes.size(), "broadcast"), MPI_BYTE, root, comm_), "broadcast");
}

void MpiCommunicator::allgather(int rank, std::span<const float> mine, std::span<float> all) {
  check_rank(rank, "allgather");
  XRECON_CHECK(all.size() == mine.size() * std::size_t(size_), "allgather: room for " + std::to_string(all.size()) +
                                                                    " values, expected " +
                                                                    std::to_string(mine.size() * std::size_t(size_)));
  const int count = count_of(mine.size(), "allgather");
  check(MPI_Allgather(mine.data(), count, MPI_FLOAT, all.data(), count, MPI_FLOAT, comm_), "allgather");
}

void MpiCommunicator::reduce_scatter_sum(int rank, std::span<const float> input, std::span<float> mine) {
  check_rank(rank, "reduce_scatter_sum");
  XRECON_CHECK(input.size() == mine.size() * std::size_t(size_),
               "reduce_scatter_sum: " + std::to_string(input.size()) + " values do not split into " +
                   std::to_string(size_) + " blocks of " + std::to_string(mine.size()));
  check(MPI_Reduce_scatter_block(input.data(), mine.data(), count_of(mine.size(), "reduce_scatter_sum"), MPI_FLOAT,
                                 MPI_SUM, comm_),
        "reduce_scatter_sum");
}

void MpiCommunicator::barrier(int rank) {
  check_rank(rank, "barrier");
  check(MPI_Barrier(comm_), "barrier");
}

void MpiCommunicator::abort() noexcept { MPI_Abort(comm_, 1); }

}  // namespace xrecon::engine
