#include "farfield_fft.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <fftw3.h>

#include "parallel.hpp"
#include "xrecon/error.hpp"

namespace xrecon::ptycho::detail {
namespace {

// How hard FFTW plans, from XRECON_FFTW_PLANNER: "estimate" (the default) picks an algorithm
// from FFTW's model without timing; "measure" times candidates once per frame size and batch in
// this process. Measured here on batches of 169 frames, measure's plans ran 3.6x (64^2), 1.5x
// (128^2) and 1.3x (256^2) faster, for 0.05-0.1 s of planning per plan (a whole 64^2 CG iteration
// 1.4x, at 128^2 7%). But which of two close timings wins differs between runs, and with it the
// last bits of every FFT: two runs of one pipeline then end at visibly different costs, and a
// split across devices no longer follows the one-device trajectory. Hence estimate by default.
unsigned planner_rigor() {
  static const unsigned rigor = [] {
    const char* text = std::getenv("XRECON_FFTW_PLANNER");
    if (text == nullptr || *text == '\0' || std::string_view(text) == "estimate") return unsigned(FFTW_ESTIMATE);
    if (std::string_view(text) == "measure") return unsigned(FFTW_MEASURE);
    throw InputError(std::string("XRECON_FFTW_PLANNER='") + text +
                     "': expected estimate (the default: the same bits on every run) or measure (faster plans, "
                     "timed when first used)");
  }();
  return rigor;
}

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
    // FFTW_UNALIGNED: a batch starts wherever the previous one ended, so execution pointers need
    // not share the planning buffer's alignment. Planning overwrites the buffer, hence scratch.
    fftwf_plan plan = fftwf_plan_many_dft(2, n, static_cast<int>(batch), scratch, nullptr, 1, static_cast<int>(frame),
                                          scratch, nullptr, 1, static_cast<int>(frame),
                                          direction == FftDirection::forward ? FFTW_FORWARD : FFTW_BACKWARD,
                                          planner_rigor() | FFTW_UNALIGNED);
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
  const std::size_t frame = rows * cols;
  // Batches of a fixed number of frames (about 4 kChunkElements, so a batch stays in a core's L2)
  // handed out dynamically: a fixed split per thread made 2 threads slower than 1 on a node with
  // one core busy (parallel.hpp). The last batch takes the remainder.
  const std::size_t batch = std::clamp<std::size_t>(4 * kChunkElements / frame, 1, count);
  const std::size_t batches = (count + batch - 1) / batch, last = count - (batches - 1) * batch;
  // Plans are made before the parallel region so that no thread waits on the planner's lock.
  const fftwf_plan full = plan_cache().get(batch, rows, cols, direction);
  const fftwf_plan remainder = last == batch ? full : plan_cache().get(last, rows, cols, direction);
  const float scale = static_cast<float>(1.0 / std::sqrt(double(frame)));
#pragma omp parallel for if(worth_parallel(count * frame) && batches > 1) schedule(dynamic)
  for (std::size_t b = 0; b < batches; ++b) {
    const std::size_t first = b * batch, size = b + 1 == batches ? last : batch;
    auto* data = reinterpret_cast<fftwf_complex*>(frames + first * frame);
    fftwf_execute_dft(size == batch ? full : remainder, data, data);
    for (std::size_t i = first * frame; i < (first + size) * frame; ++i) frames[i] *= scale;
  }
}

}  // namespace xrecon::ptycho::detail
