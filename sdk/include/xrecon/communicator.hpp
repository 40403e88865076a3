#pragma once
// Collectives over the devices of a stage (docs/architecture.md section 6). A stage that splits its work
// across devices runs one rank per device; every rank calls the same collectives in the same order.
// Ranks of the in-process backends are threads of one process, so each call names its `rank`.
// In a multi-process run (the mpi backend) the ranks are global: every process sees size() ranks
// but drives only those for which drives_rank() is true (for_each_device runs just those).
#include <cstddef>
#include <span>
#include <string_view>

#include "xrecon/export.hpp"

namespace xrecon {

class XRECON_SDK_API Communicator {
 public:
  virtual ~Communicator();

  // Number of ranks: one per device of the context.
  virtual int size() const = 0;
  // "threads", "nccl", "mpi".
  virtual std::string_view backend() const = 0;
  // Whether this process runs `rank`: every rank for the in-process backends, this process's
  // own for mpi (SDK ABI 1.3).
  virtual bool drives_rank(int rank) const { return rank >= 0 && rank < size(); }

  // Every rank's `values` becomes the element-wise sum over all ranks. Sums are taken in rank
  // order, so the result does not depend on which rank arrives first.
  virtual void allreduce_sum(int rank, std::span<double> values) = 0;
  virtual void allreduce_sum(int rank, std::span<float> values) = 0;
  // The element-wise sum over all ranks lands in `root`'s `values`; the others' are left as they were.
  virtual void reduce_sum(int rank, int root, std::span<float> values) = 0;
  // `root`'s bytes are copied into every other rank's `bytes` (all of the same length).
  virtual void broadcast(int rank, int root, std::span<std::byte> bytes) = 0;
  void broadcast(int rank, int root, std::span<float> values) { broadcast(rank, root, std::as_writable_bytes(values)); }
  // Every rank's `all` (size() * mine.size() values) receives each rank's `mine`, in rank order.
  virtual void allgather(int rank, std::span<const float> mine, std::span<float> all) = 0;
  // `input` (size() * mine.size() values) is summed over all ranks; rank k receives block k of
  // the sum in `mine`, which must not overlap `input`.
  virtual void reduce_scatter_sum(int rank, std::span<const float> input, std::span<float> mine) = 0;
  // Returns once every rank has called it.
  virtual void barrier(int rank) = 0;

  // Wakes every rank waiting in a collective with xrecon::Cancelled, and makes every later call
  // throw it: a rank that fails calls this so the others never wait for it forever.
  virtual void abort() noexcept = 0;
};

}  // namespace xrecon
