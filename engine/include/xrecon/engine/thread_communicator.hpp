#pragma once
// The `threads` communicator backend: N ranks that are threads of this process, exchanging data
// through host memory (docs/architecture.md section 6). Virtual CPU devices (--devices cpu:N) use it, which
// is how the tests prove that a decomposition over devices gives the one-device result.
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "xrecon/communicator.hpp"

namespace xrecon::engine {

class ThreadCommunicator final : public Communicator {
 public:
  explicit ThreadCommunicator(int size);

  int size() const override { return size_; }
  std::string_view backend() const override { return "threads"; }

  void allreduce_sum(int rank, std::span<double> values) override;
  void allreduce_sum(int rank, std::span<float> values) override;
  void reduce_sum(int rank, int root, std::span<float> values) override;
  void broadcast(int rank, int root, std::span<std::byte> bytes) override;
  using Communicator::broadcast;
  void allgather(int rank, std::span<const float> mine, std::span<float> all) override;
  void reduce_scatter_sum(int rank, std::span<const float> input, std::span<float> mine) override;
  void barrier(int rank) override;
  void abort() noexcept override;

 private:
  // The buffers one rank brought to the collective in progress.
  struct Contribution {
    const void* input = nullptr;
    void* output = nullptr;
    std::size_t input_count = 0;
    std::size_t output_count = 0;
  };

  // Waits until every rank has arrived, posting `contribution` when given. The last rank to
  // arrive runs `check` first; a message it returns is thrown as an Error in every rank, so they
  // all fail together. Throws Cancelled when the communicator is aborted.
  void meet(int rank, const Contribution* contribution = nullptr, const std::function<std::string()>& check = {});
  // A message when the posted counts disagree between ranks or `output_fits` rejects one.
  std::string check_counts(const char* operation, bool (*output_fits)(std::size_t in, std::size_t out, int ranks));
  // Sum over ranks into every rank's `values`, or only root's when root >= 0.
  template <typename T>
  void reduce(int rank, std::span<T> values, int root, const char* operation);
  void check_rank(int rank, const char* operation) const;

  const int size_;
  std::mutex mutex_;
  std::condition_variable all_arrived_;
  int arrived_ = 0;
  std::size_t generation_ = 0;
  bool aborted_ = false;
  std::string failure_;  // what the last meeting's check found wrong
  std::vector<Contribution> contributions_;
  // The sums of a reduction, in double whatever the element type, so float sums are rounded
  // once; written by every rank for its share of the elements, read by all.
  std::vector<double> sums_;
};

}  // namespace xrecon::engine
