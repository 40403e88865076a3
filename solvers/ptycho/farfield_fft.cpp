#include "farfield_fft.hpp"

#include <cmath>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include <fftw3.h>
#include <omp.h>

#include "parallel.hpp"
#include "xrecon/error.hpp"

namespace xrecon::ptycho::detail {
namespace {

// Batched plans (howmany frames of one size), one per (batch, rows, cols, direction).
class PlanCache {
 public:
  ~PlanCache() {
    std::lock_guard lock(mutex_);
    for (auto& [key, plan] : plans_) fftwf_destroy_plan(plan);
  }

  fftwf_plan get(std::size_t batch, std::size_t rows, std::size_t cols, FftDirection direction) {
    // FFTW's planner is not thread safe; only fftwf_execute* may run concurrently.
    std::lock_guard lock(mutex_);
    const Key key{batch, rows, cols, direction};
    if (auto it = plans_.find(key); it != plans_.end()) return it->second;
    const std::size_t frame = rows * cols;
    auto* scratch = fftwf_alloc_complex(batch * frame);
    if (!scratch) throw std::bad_alloc();
    const int n[2] = {static_cast<int>(rows), static_cast<int>(cols)};
    // FFTW_UNALIGNED: a thread's batch starts wherever the previous one ended, so execution
    // pointers need not share the planning buffer's alignment. FFTW_ESTIMATE keeps runs
    // reproducible and never touches the buffer while planning.
    fftwf_plan plan = fftwf_plan_many_dft(2, n, static_cast<int>(batch), scratch, nullptr, 1, static_cast<int>(frame),
                                          scratch, nullptr, 1, static_cast<int>(frame),
                                          direction == FftDirection::forward ? FFTW_FORWARD : FFTW_BACKWARD,
                                          FFTW_ESTIMATE | FFTW_UNALIGNED);
    fftwf_free(scratch);
    if (!plan)
      throw Error("FFTW could not plan " + std::to_string(batch) + " transforms of " + std::to_string(rows) + "x" +
                  std::to_string(cols));
    return plans_.emplace(key, plan).first->second;
  }

 private:
  using Key = std::tuple<std::size_t, std::size_t, std::size_t, FftDirection>;
  std::mutex mutex_;
  std::map<Key, fftwf_plan> plans_;
};

PlanCache& plan_cache() {
  static PlanCache cache;
  return cache;
}

}  // namespace

void fft2_frames(std::complex<float>* frames, std::size_t count, std::size_t rows, std::size_t cols,
                 FftDirection direction) {
  if (count == 0 || rows == 0 || cols == 0) return;
  const std::size_t threads = worth_parallel(count * rows * cols)
                                  ? std::min<std::size_t>(static_cast<std::size_t>(omp_get_max_threads()), count)
                                  : 1;
  // Batches of `base` or `base + 1` frames: the first `extra` threads take one more.
  const std::size_t base = count / threads, extra = count % threads;
  // Plans are made before the parallel region so that no thread waits on the planner's lock.
  const fftwf_plan larger = extra > 0 ? plan_cache().get(base + 1, rows, cols, direction) : nullptr;
  const fftwf_plan smaller = base > 0 ? plan_cache().get(base, rows, cols, direction) : nullptr;
  const std::size_t frame = rows * cols;
  const float scale = static_cast<float>(1.0 / std::sqrt(double(frame)));
#pragma omp parallel for num_threads(threads) schedule(static, 1)
  for (std::size_t t = 0; t < threads; ++t) {
    const std::size_t first = t * base + std::min(t, extra);
    const std::size_t batch = base + (t < extra ? 1 : 0);
    auto* data = reinterpret_cast<fftwf_complex*>(frames + first * frame);
    fftwf_execute_dft(t < extra ? larger : smaller, data, data);
    for (std::size_t i = first * frame; i < (first + batch) * frame; ++i) frames[i] *= scale;
  }
}

}  // namespace xrecon::ptycho::detail
