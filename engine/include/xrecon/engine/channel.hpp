#pragma once
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>

#include "xrecon/error.hpp"

namespace xrecon::engine {

// A bounded FIFO between two stage threads. push() blocks while full (back-pressure), pop()
// blocks while empty and returns nullopt once the producer closed it and it is drained.
// cancel() wakes everyone; afterwards both ends throw Cancelled.
template <typename T>
class Channel {
 public:
  explicit Channel(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

  void push(T value) {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [&] { return cancelled_ || abandoned_ || queue_.size() < capacity_; });
    if (cancelled_) throw Cancelled("the pipeline was cancelled");
    if (abandoned_) return;
    queue_.push_back(std::move(value));
    not_empty_.notify_one();
  }

  std::optional<T> pop() {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [&] { return cancelled_ || closed_ || !queue_.empty(); });
    if (cancelled_) throw Cancelled("the pipeline was cancelled");
    if (queue_.empty()) return std::nullopt;
    T value = std::move(queue_.front());
    queue_.pop_front();
    not_full_.notify_one();
    return value;
  }

  void close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    not_empty_.notify_all();
  }

  // The consumer finished without reading everything: later messages are dropped so the
  // producer is never blocked by a stage that no longer listens.
  void abandon() {
    std::lock_guard lock(mutex_);
    abandoned_ = true;
    queue_.clear();
    not_full_.notify_all();
  }

  void cancel() {
    std::lock_guard lock(mutex_);
    cancelled_ = true;
    queue_.clear();
    not_empty_.notify_all();
    not_full_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable not_empty_, not_full_;
  std::deque<T> queue_;
  std::size_t capacity_;
  bool closed_ = false;
  bool cancelled_ = false;
  bool abandoned_ = false;
};

}  // namespace xrecon::engine
