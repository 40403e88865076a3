// Each rank is driven by its own host thread and owns one NCCL communicator, so no thread ever
// issues operations on two communicators: ncclGroupStart/End is needed only inside
// ncclCommInitAll, which does it itself.
#include "xrecon/engine/nccl_communicator.hpp"

#include <set>
#include <string>
#include <thread>

#include "xrecon/engine/cuda_memory.hpp"
#include "xrecon/error.hpp"

namespace xrecon::engine {

namespace {

void check_nccl(ncclResult_t status, const char* operation) {
  if (status != ncclSuccess) throw Error(std::string(operation) + " failed in NCCL: " + ncclGetErrorString(status));
}

void check_cuda(cudaError_t status, const std::string& operation) {
  if (status != cudaSuccess) throw Error(operation + " failed in CUDA: " + cudaGetErrorString(status));
}

}  // namespace

// A device view of one caller buffer: the buffer itself when it is device memory, otherwise a
// device copy that is filled from it before the collective and copied back after it.
struct NcclCommunicator::Staged {
  void* device = nullptr;
  void* host = nullptr;
  std::size_t bytes = 0;

  Staged(void* pointer, std::size_t size, cudaStream_t stream, bool copy_in) : bytes(size) {
    if (size == 0 || is_device_memory(pointer)) {
      device = pointer;
      return;
    }
    host = pointer;
    check_cuda(cudaMallocAsync(&device, size, stream), "staging buffer");
    if (copy_in) check_cuda(cudaMemcpyAsync(device, host, size, cudaMemcpyHostToDevice, stream), "staging copy");
  }
  void copy_out(cudaStream_t stream) const {
    if (host) check_cuda(cudaMemcpyAsync(host, device, bytes, cudaMemcpyDeviceToHost, stream), "staging copy");
  }
  void release(cudaStream_t stream) const {
    if (host) cudaFreeAsync(device, stream);
  }
};

NcclCommunicator::NcclCommunicator(std::vector<int> devices) {
  XRECON_CHECK(!devices.empty(), "the nccl communicator needs at least one GPU");
  const std::set<int> distinct(devices.begin(), devices.end());
  if (distinct.size() != devices.size())
    throw InputError("the nccl communicator needs a distinct GPU per rank; a GPU listed twice needs the "
                     "oversubscribed threads backend (make_cuda_communicator)");
  std::vector<ncclComm_t> comms(devices.size());
  check_nccl(ncclCommInitAll(comms.data(), int(devices.size()), devices.data()), "ncclCommInitAll");
  for (std::size_t k = 0; k < devices.size(); ++k) {
    Rank rank{devices[k], comms[k], nullptr, nullptr, false};
    check_cuda(cudaSetDevice(rank.device), "cudaSetDevice");
    // Non-blocking: NCCL's kernels must not serialise with unrelated work of other threads on the
    // default stream; the ordering with the buffers' producers is made explicit in enter().
    check_cuda(cudaStreamCreateWithFlags(&rank.stream, cudaStreamNonBlocking), "cudaStreamCreate");
    check_cuda(cudaEventCreateWithFlags(&rank.produced, cudaEventDisableTiming), "cudaEventCreate");
    ranks_.push_back(rank);
  }
}

NcclCommunicator::~NcclCommunicator() {
  for (Rank& rank : ranks_) {
    cudaSetDevice(rank.device);
    if (!rank.comm_aborted) aborted_ ? ncclCommAbort(rank.comm) : ncclCommDestroy(rank.comm);
    if (rank.stream) cudaStreamDestroy(rank.stream);
    if (rank.produced) cudaEventDestroy(rank.produced);
  }
}

NcclCommunicator::Rank& NcclCommunicator::enter(int rank, const char* operation) {
  XRECON_CHECK(rank >= 0 && rank < size(), std::string(operation) + ": rank " + std::to_string(rank) +
                                               " is outside 0 .. " + std::to_string(size() - 1));
  if (aborted_) throw Cancelled("a collective was called after another device's work failed");
  Rank& r = ranks_[std::size_t(rank)];
  check_cuda(cudaSetDevice(r.device), "cudaSetDevice");
  // docs/architecture.md section 6: never read a device buffer without an ordering to its producer. The
  // producers (the solvers' kernels, the SDK's copies) run on the legacy default stream, which the
  // rank's non-blocking stream does not wait for by itself: a kernel still writing the buffer
  // would race with the collective. An event recorded on the legacy stream now completes after
  // all work queued there, and in every blocking stream of this GPU, before this call; the rank's
  // stream waits for it on the GPU, without blocking the host.
  check_cuda(cudaEventRecord(r.produced, cudaStreamLegacy), std::string(operation) + ": cudaEventRecord");
  check_cuda(cudaStreamWaitEvent(r.stream, r.produced, 0), std::string(operation) + ": cudaStreamWaitEvent");
  return r;
}

void NcclCommunicator::finish(Rank& rank, const char* operation) {
  // Polling rather than cudaStreamSynchronize: a rank whose peer never arrives must still see abort().
  for (;;) {
    const cudaError_t status = cudaStreamQuery(rank.stream);
    if (status == cudaSuccess) return;
    if (status != cudaErrorNotReady) check_cuda(status, operation);
    ncclResult_t async = ncclSuccess;
    check_nccl(ncclCommGetAsyncError(rank.comm, &async), operation);
    check_nccl(async, operation);
    if (aborted_) {
      ncclCommAbort(rank.comm);
      rank.comm_aborted = true;
      throw Cancelled("another device's work failed while this one waited for it");
    }
    std::this_thread::yield();
  }
}

template <typename T>
void NcclCommunicator::allreduce(int rank, std::span<T> values, ncclDataType_t type) {
  Rank& r = enter(rank, "allreduce_sum");
  const Staged buffer(values.data(), values.size_bytes(), r.stream, true);
  check_nccl(ncclAllReduce(buffer.device, buffer.device, values.size(), type, ncclSum, r.comm, r.stream), "allreduce_sum");
  buffer.copy_out(r.stream);
  buffer.release(r.stream);
  finish(r, "allreduce_sum");
}

void NcclCommunicator::allreduce_sum(int rank, std::span<double> values) { allreduce(rank, values, ncclDouble); }

void NcclCommunicator::allreduce_sum(int rank, std::span<float> values) { allreduce(rank, values, ncclFloat); }

void NcclCommunicator::reduce_sum(int rank, int root, std::span<float> values) {
  Rank& r = enter(rank, "reduce_sum");
  const Staged buffer(values.data(), values.size_bytes(), r.stream, true);
  check_nccl(ncclReduce(buffer.device, buffer.device, values.size(), ncclFloat, ncclSum, root, r.comm, r.stream),
             "reduce_sum");
  // Only the root's buffer receives the sum; the others' stay as they were.
  if (rank == root) buffer.copy_out(r.stream);
  buffer.release(r.stream);
  finish(r, "reduce_sum");
}

void NcclCommunicator::broadcast(int rank, int root, std::span<std::byte> bytes) {
  Rank& r = enter(rank, "broadcast");
  const Staged buffer(bytes.data(), bytes.size(), r.stream, rank == root);
  check_nccl(ncclBroadcast(buffer.device, buffer.device, bytes.size(), ncclChar, root, r.comm, r.stream), "broadcast");
  buffer.copy_out(r.stream);
  buffer.release(r.stream);
  finish(r, "broadcast");
}

void NcclCommunicator::allgather(int rank, std::span<const float> mine, std::span<float> all) {
  Rank& r = enter(rank, "allgather");
  XRECON_CHECK(all.size() == mine.size() * std::size_t(size()), "allgather: room for " + std::to_string(all.size()) +
                                                                     " values, expected " +
                                                                     std::to_string(mine.size() * std::size_t(size())));
  const Staged in(const_cast<float*>(mine.data()), mine.size_bytes(), r.stream, true);
  const Staged out(all.data(), all.size_bytes(), r.stream, false);
  check_nccl(ncclAllGather(in.device, out.device, mine.size(), ncclFloat, r.comm, r.stream), "allgather");
  out.copy_out(r.stream);
  in.release(r.stream);
  out.release(r.stream);
  finish(r, "allgather");
}

void NcclCommunicator::reduce_scatter_sum(int rank, std::span<const float> input, std::span<float> mine) {
  Rank& r = enter(rank, "reduce_scatter_sum");
  XRECON_CHECK(input.size() == mine.size() * std::size_t(size()),
               "reduce_scatter_sum: " + std::to_string(input.size()) + " values do not split into " +
                   std::to_string(size()) + " blocks of " + std::to_string(mine.size()));
  const Staged in(const_cast<float*>(input.data()), input.size_bytes(), r.stream, true);
  const Staged out(mine.data(), mine.size_bytes(), r.stream, false);
  check_nccl(ncclReduceScatter(in.device, out.device, mine.size(), ncclFloat, ncclSum, r.comm, r.stream),
             "reduce_scatter_sum");
  out.copy_out(r.stream);
  in.release(r.stream);
  out.release(r.stream);
  finish(r, "reduce_scatter_sum");
}

void NcclCommunicator::barrier(int rank) {
  // An allreduce of one value: it completes on a rank only once every rank has joined it.
  float token = 0;
  allreduce_sum(rank, std::span<float>(&token, 1));
}

void NcclCommunicator::abort() noexcept { aborted_ = true; }

}  // namespace xrecon::engine
