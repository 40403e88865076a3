#include "xrecon/engine/host_staged_communicator.hpp"

#include <cuda_runtime_api.h>

#include <string>
#include <type_traits>
#include <vector>

#include "xrecon/engine/cuda_memory.hpp"
#include "xrecon/error.hpp"

namespace xrecon::engine {

namespace {

void check_cuda(cudaError_t status, const char* what) {
  if (status != cudaSuccess) throw Error(std::string(what) + " failed in CUDA: " + cudaGetErrorString(status));
}

// A host view of a caller's buffer: the buffer itself when it is host memory, otherwise a host
// copy (filled when `copy_in`) that copy_out() writes back to the device.
template <typename T>
class HostView {
 public:
  HostView(std::span<T> buffer, bool copy_in) : buffer_(buffer), staged_(is_device_memory(buffer.data())) {
    if (!staged_) return;
    copy_.resize(buffer.size());
    if (copy_in) check_cuda(cudaMemcpy(copy_.data(), buffer.data(), buffer.size_bytes(), cudaMemcpyDeviceToHost), "staging copy");
  }
  std::span<T> span() { return staged_ ? std::span<T>(copy_) : buffer_; }
  void copy_out() {
    if (staged_) check_cuda(cudaMemcpy(buffer_.data(), copy_.data(), buffer_.size_bytes(), cudaMemcpyHostToDevice), "staging copy");
  }

 private:
  std::span<T> buffer_;
  bool staged_;
  std::vector<std::remove_const_t<T>> copy_;
};

}  // namespace

HostStagedCommunicator::HostStagedCommunicator(std::unique_ptr<Communicator> host, std::string name)
    : host_(std::move(host)), name_(std::move(name)) {}

void HostStagedCommunicator::allreduce_sum(int rank, std::span<double> values) {
  HostView view(values, true);
  host_->allreduce_sum(rank, view.span());
  view.copy_out();
}

void HostStagedCommunicator::allreduce_sum(int rank, std::span<float> values) {
  HostView view(values, true);
  host_->allreduce_sum(rank, view.span());
  view.copy_out();
}

void HostStagedCommunicator::reduce_sum(int rank, int root, std::span<float> values) {
  HostView view(values, true);
  host_->reduce_sum(rank, root, view.span());
  if (rank == root) view.copy_out();
}

void HostStagedCommunicator::broadcast(int rank, int root, std::span<std::byte> bytes) {
  HostView view(bytes, rank == root);
  host_->broadcast(rank, root, view.span());
  view.copy_out();
}

void HostStagedCommunicator::allgather(int rank, std::span<const float> mine, std::span<float> all) {
  HostView in(mine, true);
  HostView out(all, false);
  host_->allgather(rank, in.span(), out.span());
  out.copy_out();
}

void HostStagedCommunicator::reduce_scatter_sum(int rank, std::span<const float> input, std::span<float> mine) {
  HostView in(input, true);
  HostView out(mine, false);
  host_->reduce_scatter_sum(rank, in.span(), out.span());
  out.copy_out();
}

}  // namespace xrecon::engine
