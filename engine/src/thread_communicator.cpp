// Every collective is one or two meetings of all ranks: at the first each rank posts its
// buffers, the last to arrive checks that they agree, and after it each rank reads the others'
// buffers directly; a second meeting keeps every buffer alive until nobody reads it any more.
// A rank posts its next buffers only after the last meeting of the previous collective, which
// every rank has reached, so posting never races with a reader.
#include "xrecon/engine/thread_communicator.hpp"

#include <algorithm>
#include <cstring>
#include <string>

#include "xrecon/error.hpp"

namespace xrecon::engine {

namespace {

// Share of `count` elements that `rank` of `size` sums: contiguous blocks, sizes differing by one at most.
std::pair<std::size_t, std::size_t> share(std::size_t count, int rank, int size) {
  return {count * std::size_t(rank) / std::size_t(size), count * std::size_t(rank + 1) / std::size_t(size)};
}

}  // namespace

ThreadCommunicator::ThreadCommunicator(int size) : size_(size), contributions_(std::size_t(std::max(size, 0))) {
  XRECON_CHECK(size >= 1, "a communicator needs at least one rank, got " + std::to_string(size));
}

void ThreadCommunicator::check_rank(int rank, const char* operation) const {
  XRECON_CHECK(rank >= 0 && rank < size_, std::string(operation) + ": rank " + std::to_string(rank) +
                                              " is outside 0 .. " + std::to_string(size_ - 1));
}

void ThreadCommunicator::meet(int rank, const Contribution* contribution, const std::function<std::string()>& check) {
  std::unique_lock lock(mutex_);
  if (aborted_) throw Cancelled("a collective was called after another device's work failed");
  if (contribution) contributions_[std::size_t(rank)] = *contribution;
  const std::size_t generation = generation_;
  if (++arrived_ == size_) {
    arrived_ = 0;
    failure_ = check ? check() : std::string();
    ++generation_;
    all_arrived_.notify_all();
  } else {
    all_arrived_.wait(lock, [&] { return generation_ != generation || aborted_; });
    if (generation_ == generation) throw Cancelled("another device's work failed while this one waited for it");
  }
  if (!failure_.empty()) throw Error(failure_);
}

std::string ThreadCommunicator::check_counts(const char* operation, bool (*output_fits)(std::size_t, std::size_t, int)) {
  const Contribution& first = contributions_[0];
  for (int k = 0; k < size_; ++k) {
    const Contribution& c = contributions_[std::size_t(k)];
    if (c.input_count != first.input_count)
      return std::string(operation) + ": rank 0 passed " + std::to_string(first.input_count) + " values but rank " +
             std::to_string(k) + " passed " + std::to_string(c.input_count);
    if (!output_fits(c.input_count, c.output_count, size_))
      return std::string(operation) + ": rank " + std::to_string(k) + " passed " + std::to_string(c.input_count) +
             " values and room for " + std::to_string(c.output_count) + " results, which do not fit " +
             std::to_string(size_) + " ranks";
  }
  return {};
}

template <typename T>
void ThreadCommunicator::reduce(int rank, std::span<T> values, int root, const char* operation) {
  check_rank(rank, operation);
  if (root >= 0) check_rank(root, operation);
  const Contribution mine{values.data(), values.data(), values.size(), values.size()};
  const std::size_t count = values.size();
  meet(rank, &mine, [&] {
    sums_.resize(count);
    return check_counts(operation, [](std::size_t in, std::size_t out, int) { return in == out; });
  });
  const auto [begin, end] = share(count, rank, size_);
  for (std::size_t i = begin; i < end; ++i) {
    double sum = 0;
    for (const Contribution& c : contributions_) sum += double(static_cast<const T*>(c.input)[i]);
    sums_[i] = sum;
  }
  meet(rank);
  if (root < 0 || root == rank) std::transform(sums_.begin(), sums_.end(), values.begin(), [](double s) { return T(s); });
}

void ThreadCommunicator::allreduce_sum(int rank, std::span<double> values) { reduce(rank, values, -1, "allreduce_sum"); }

void ThreadCommunicator::allreduce_sum(int rank, std::span<float> values) { reduce(rank, values, -1, "allreduce_sum"); }

void ThreadCommunicator::reduce_sum(int rank, int root, std::span<float> values) {
  XRECON_CHECK(root >= 0, "reduce_sum: the root rank must be given, got " + std::to_string(root));
  reduce(rank, values, root, "reduce_sum");
}

void ThreadCommunicator::broadcast(int rank, int root, std::span<std::byte> bytes) {
  check_rank(rank, "broadcast");
  check_rank(root, "broadcast");
  const Contribution mine{bytes.data(), bytes.data(), bytes.size(), bytes.size()};
  meet(rank, &mine, [&] {
    return check_counts("broadcast", [](std::size_t in, std::size_t out, int) { return in == out; });
  });
  if (rank != root && !bytes.empty())
    std::memcpy(bytes.data(), contributions_[std::size_t(root)].input, bytes.size());
  meet(rank);
}

void ThreadCommunicator::allgather(int rank, std::span<const float> mine, std::span<float> all) {
  check_rank(rank, "allgather");
  const Contribution contribution{mine.data(), all.data(), mine.size(), all.size()};
  meet(rank, &contribution, [&] {
    return check_counts("allgather", [](std::size_t in, std::size_t out, int n) { return out == in * std::size_t(n); });
  });
  for (int k = 0; k < size_; ++k) {
    const auto* block = static_cast<const float*>(contributions_[std::size_t(k)].input);
    std::copy(block, block + mine.size(), all.begin() + std::ptrdiff_t(mine.size() * std::size_t(k)));
  }
  meet(rank);
}

void ThreadCommunicator::reduce_scatter_sum(int rank, std::span<const float> input, std::span<float> mine) {
  check_rank(rank, "reduce_scatter_sum");
  const Contribution contribution{input.data(), mine.data(), input.size(), mine.size()};
  meet(rank, &contribution, [&] {
    return check_counts("reduce_scatter_sum",
                        [](std::size_t in, std::size_t out, int n) { return in == out * std::size_t(n); });
  });
  const std::size_t offset = mine.size() * std::size_t(rank);
  for (std::size_t i = 0; i < mine.size(); ++i) {
    double sum = 0;
    for (const Contribution& c : contributions_) sum += double(static_cast<const float*>(c.input)[offset + i]);
    mine[i] = float(sum);
  }
  meet(rank);
}

void ThreadCommunicator::barrier(int rank) {
  check_rank(rank, "barrier");
  meet(rank);
}

void ThreadCommunicator::abort() noexcept {
  std::lock_guard lock(mutex_);
  aborted_ = true;
  all_arrived_.notify_all();
}

}  // namespace xrecon::engine
