// Bytes of array storage held per memory space, and the most held since a reset: what the
// stages' memory estimates are checked against (docs/architecture.md section 5), and what a planner may
// read at run time. Counted where allocate_bytes hands memory out and where its owner frees it.
#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>

#include <unistd.h>

#include "memory_accounting.hpp"
#include "memory_cuda.hpp"
#include "xrecon/error.hpp"

namespace xrecon {
namespace {

struct Counter {
  std::atomic<std::size_t> in_use{0};
  std::atomic<std::size_t> peak{0};
};

// Host and up to 64 GPUs (one node); spaces beyond are not counted.
constexpr int kMaxDevices = 64;
std::array<Counter, kMaxDevices + 1> counters;

Counter* counter_of(MemorySpace space) {
  if (space.is_host()) return &counters[0];
  if (space.device < 0 || space.device >= kMaxDevices) return nullptr;
  return &counters[std::size_t(space.device) + 1];
}

}  // namespace

namespace detail {

void count_allocation(MemorySpace space, std::size_t bytes) {
  Counter* c = counter_of(space);
  if (c == nullptr) return;
  const std::size_t now = c->in_use.fetch_add(bytes) + bytes;
  std::size_t peak = c->peak.load();
  while (now > peak && !c->peak.compare_exchange_weak(peak, now)) {}
}

void count_release(MemorySpace space, std::size_t bytes) {
  if (Counter* c = counter_of(space)) c->in_use.fetch_sub(bytes);
}

std::shared_ptr<void> counted(std::shared_ptr<void> owner, MemorySpace space, std::size_t bytes) {
  // The count is released with the memory: the returned pointer shares ownership of a holder of
  // the real owner, whose destructor frees the memory and then uncounts it.
  class Holder {
   public:
    Holder(std::shared_ptr<void> owner, MemorySpace space, std::size_t bytes)
        : owner_(std::move(owner)), space_(space), bytes_(bytes) {
      count_allocation(space_, bytes_);
    }
    ~Holder() {
      owner_.reset();
      count_release(space_, bytes_);
    }
    Holder(const Holder&) = delete;
    Holder& operator=(const Holder&) = delete;

   private:
    std::shared_ptr<void> owner_;
    MemorySpace space_;
    std::size_t bytes_;
  };
  void* p = owner.get();
  return std::shared_ptr<void>(std::make_shared<Holder>(std::move(owner), space, bytes), p);
}

}  // namespace detail

namespace {

}  // namespace

std::optional<std::size_t> memory_limit_from_environment() {
  const char* text = std::getenv("XRECON_MEMORY_LIMIT");
  if (text == nullptr || *text == '\0') return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(text, &end);
  double scale = 1;
  if (*end == 'K' || *end == 'k') scale = 1024.0, ++end;
  else if (*end == 'M' || *end == 'm') scale = 1024.0 * 1024, ++end;
  else if (*end == 'G' || *end == 'g') scale = 1024.0 * 1024 * 1024, ++end;
  const std::string what = std::string("XRECON_MEMORY_LIMIT='") + text + "': ";
  if (end == text || *end != '\0' || !(value > 0))
    throw InputError(what + "expected a positive number of bytes, optionally with K, M or G (e.g. 512M)");
  // strtod reads "inf" and 1e30 as numbers; converted to size_t they would be undefined (and came
  // out as 0 bytes: "not even one slice fits").
  const double bytes = value * scale;
  if (!std::isfinite(bytes) || bytes >= 18446744073709549568.0)  // the largest double below 2^64
    throw InputError(what + "expected a finite number of bytes below 16 EiB (e.g. 512M); unset it for no limit");
  if (bytes < 1.0) throw InputError(what + "is less than one byte");
  return std::size_t(bytes);
}

namespace {

// MemAvailable: free memory plus what the kernel can reclaim (page cache) without swapping.
std::size_t host_available_bytes() {
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  std::size_t kib = 0;
  std::string unit;
  while (meminfo >> key >> kib >> unit)
    if (key == "MemAvailable:") return kib * 1024;
  return std::size_t(sysconf(_SC_AVPHYS_PAGES)) * std::size_t(sysconf(_SC_PAGESIZE));
}

}  // namespace

std::size_t available_bytes(MemorySpace space) {
  const std::size_t free = space.is_host() ? host_available_bytes() : detail::cuda_free_bytes(space.device);
  const std::optional<std::size_t> limit = memory_limit_from_environment();
  return limit ? std::min(free, *limit) : free;
}

std::size_t bytes_in_use(MemorySpace space) {
  const Counter* c = counter_of(space);
  return c ? c->in_use.load() : 0;
}

std::size_t peak_bytes(MemorySpace space) {
  const Counter* c = counter_of(space);
  return c ? c->peak.load() : 0;
}

void reset_peak_bytes(MemorySpace space) {
  if (Counter* c = counter_of(space)) c->peak.store(c->in_use.load());
}

}  // namespace xrecon
