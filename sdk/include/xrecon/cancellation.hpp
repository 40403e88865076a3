#pragma once
#include <atomic>

#include "xrecon/error.hpp"

namespace xrecon {

// Shared by every stage of a run: the first error or Ctrl-C sets it, and long loops poll it
// between iterations so the pipeline stops promptly and drains.
class CancellationToken {
 public:
  void cancel() noexcept { cancelled_.store(true, std::memory_order_release); }
  bool cancelled() const noexcept { return cancelled_.load(std::memory_order_acquire); }
  void throw_if_cancelled() const {
    if (cancelled()) throw Cancelled("the pipeline was cancelled");
  }

 private:
  std::atomic<bool> cancelled_{false};
};

}  // namespace xrecon
