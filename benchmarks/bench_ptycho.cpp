// Ptychography CG at a CPU size: 64^2 probe and detector, 400 positions (20 x 20 raster, step
// 16, 75% linear overlap) over a 369^2 object. BM_CgObjectIteration is the time of one CG
// iteration (object step only) in steady state; the BM_Stage_* entries time the pieces one
// object step is made of, so the per-iteration figure can be broken down into FFT, element-wise
// and scatter work: one step = 2 FFT batches (gradient's inverse, direction's forward), a crop
// and a pad (the direction's exit waves), a residual, a scatter, and one cost evaluation per
// line-search trial (usually 1-2).
//
// Roofline: ptycho_roofline.hpp counts the compulsory bytes and the flops of every stage of an
// object step at this size. Two ceilings are measured on this machine: BM_StreamTriad (STREAM's
// a = b + s c on 3 x 64 MB, far beyond the caches) for bandwidth, and BM_FftCeiling (batched
// FFTW on 64^2 frames that stay in each core's L2) for the FFT stages' arithmetic; the
// element-wise stages are bounded by their bytes only (ptycho_roofline.hpp says why). At this
// size one FFT batch (26 MB) nearly fits the 32 MB L3, so the FFT stages can beat the triad's
// bandwidth; the large-size regime is bench_ptycho_gpu's. BM_CgObjectIteration and the
// BM_Stage_* entries report GBps and GFLOPps (the model's bytes and flops over the measured time)
// with bandwidth_fraction, flop_fraction and roofline_fraction (the roofline's bound on the time
// over the time), each against the ceilings at the same thread count. BM_Stage_Communication is the allreduce of the
// object gradient in double between 2 ranks of the threads backend.
#include <benchmark/benchmark.h>
#include <omp.h>

#include <barrier>
#include <chrono>
#include <cmath>
#include <map>
#include <random>
#include <span>
#include <thread>
#include <vector>

// The stages are the solver's internal operators, not public API.
#include "../solvers/ptycho/complex_ops.hpp"
#include "../solvers/ptycho/farfield_fft.hpp"
#include "../solvers/ptycho/likelihood.hpp"
#include "../solvers/ptycho/operators.hpp"
#include "ptycho_roofline.hpp"
#include "xrecon/ptycho/ptycho.hpp"

namespace {

using namespace xrecon;

constexpr std::size_t kProbe = 64, kPerAxis = 20;
constexpr double kStep = 16;
constexpr std::size_t kPositions = kPerAxis * kPerAxis;
constexpr std::size_t kObject = std::size_t((kPerAxis - 1) * kStep) + kProbe + 1;

struct Scan {
  ArrayCF truth{Shape{kObject, kObject}};
  ArrayCF probe{Shape{kProbe, kProbe}};
  ArrayD positions{Shape{kPositions, 2}};
  ArrayF patterns;
  Scan() {
    std::mt19937 rng(1);
    std::uniform_real_distribution<float> unit(0.0f, 1.0f);
    std::uniform_real_distribution<double> jitter(0.0, 1.0);
    for (auto& v : truth.host_span()) v = std::polar(0.5f + 0.5f * unit(rng), unit(rng));
    const double centre = (kProbe - 1) / 2.0, sigma = kProbe / 6.0;
    for (std::size_t y = 0; y < kProbe; ++y)
      for (std::size_t x = 0; x < kProbe; ++x)
        probe[y * kProbe + x] = float(std::exp(-(std::pow(y - centre, 2) + std::pow(x - centre, 2)) / (2 * sigma * sigma)));
    for (std::size_t j = 0; j < kPositions; ++j) {
      positions[2 * j] = double(j / kPerAxis) * kStep + jitter(rng);
      positions[2 * j + 1] = double(j % kPerAxis) * kStep + jitter(rng);
    }
    const ArrayCF f = ptycho::farfield(truth, probe, positions);
    patterns = ArrayF(f.shape());
    for (std::size_t i = 0; i < f.size(); ++i) patterns[i] = std::norm(f[i]);
  }
};

const Scan& scan() {
  static const Scan s;
  return s;
}

void count_patterns(benchmark::State& state) {
  state.counters["patterns"] = benchmark::Counter(double(kPositions), benchmark::Counter::kIsIterationInvariantRate);
}

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// ---- ceilings ---------------------------------------------------------------------------------

// STREAM triad a = b + s c over arrays far larger than the 32 MB L3, on `threads` OpenMP threads:
// bytes per second counting 2 reads and 1 write per element (no write-allocate), best of 10 runs.
constexpr std::size_t kTriadElements = std::size_t(1) << 23;  // 64 MB per array

double triad_seconds(std::vector<double>& a, const std::vector<double>& b, const std::vector<double>& c,
                     int threads) {
  const auto start = Clock::now();
  const std::size_t n = a.size();
  double* pa = a.data();
  const double* pb = b.data();
  const double* pc = c.data();
#pragma omp parallel for num_threads(threads) schedule(static)
  for (std::size_t i = 0; i < n; ++i) pa[i] = pb[i] + 3.0 * pc[i];
  benchmark::ClobberMemory();
  return seconds_since(start);
}

struct TriadArrays {
  std::vector<double> a, b, c;
  // First touch in the same static schedule as the triad, so pages sit near the threads using them.
  explicit TriadArrays(int threads) : a(kTriadElements), b(kTriadElements), c(kTriadElements) {
#pragma omp parallel for num_threads(threads) schedule(static)
    for (std::size_t i = 0; i < kTriadElements; ++i) a[i] = 0, b[i] = 1, c[i] = 2;
  }
};

constexpr double kTriadBytes = 3.0 * sizeof(double) * double(kTriadElements);

double stream_triad_bandwidth(int threads) {
  static std::map<int, double> cache;
  if (auto it = cache.find(threads); it != cache.end()) return it->second;
  TriadArrays t(threads);
  double best = 1e30;
  for (int run = 0; run < 10; ++run) best = std::min(best, triad_seconds(t.a, t.b, t.c, threads));
  // More threads can always run as fewer: on a loaded host the measurement can say otherwise.
  return cache[threads] = std::max(kTriadBytes / best, threads > 1 ? stream_triad_bandwidth(threads - 1) : 0.0);
}

// Batched FFTW on 64^2 frames, 8 per thread (256 KB, half a core's 512 KB L2): the flop rate of the
// transform when memory is not the limit, best of 200 runs.
constexpr std::size_t kCeilingFramesPerThread = 8;

double fft_in_cache_seconds(ArrayCF& frames) {
  const auto start = Clock::now();
  ptycho::detail::fft2_frames(frames.data(), frames.extent(0), kProbe, kProbe, ptycho::detail::FftDirection::forward);
  benchmark::ClobberMemory();
  return seconds_since(start);
}

double fft_ceiling(int threads) {
  static std::map<int, double> cache;
  if (auto it = cache.find(threads); it != cache.end()) return it->second;
  const int previous = omp_get_max_threads();
  omp_set_num_threads(threads);
  const std::size_t frames_count = kCeilingFramesPerThread * std::size_t(threads);
  ArrayCF frames = ArrayCF::zeros(Shape{frames_count, kProbe, kProbe});
  fft_in_cache_seconds(frames);  // plans
  double best = 1e30;
  for (int run = 0; run < 200; ++run) best = std::min(best, fft_in_cache_seconds(frames));
  omp_set_num_threads(previous);
  const double rate = bench::fft_flops(double(frames_count), kProbe, kProbe) / best;
  return cache[threads] = std::max(rate, threads > 1 ? fft_ceiling(threads - 1) : 0.0);
}

const bench::PtychoSize kSize = bench::square_scan(kPositions, kProbe, kObject);

// The counters of one stage of the model (one line-search trial for the trial's entry), at the
// ceilings of omp_get_max_threads() threads.
void report_stages(benchmark::State& state, std::initializer_list<const char*> names, double seconds_per_iteration) {
  const int threads = omp_get_max_threads();
  const auto model = bench::cg_object_iteration(kSize, 1.0);
  std::vector<bench::StageCost> stages;
  for (const char* name : names) stages.push_back(bench::stage(model, name));
  bench::report_roofline(state, stages, seconds_per_iteration, stream_triad_bandwidth(threads), fft_ceiling(threads));
}

void report_stage(benchmark::State& state, const char* name, double seconds_per_iteration) {
  report_stages(state, {name}, seconds_per_iteration);
}

// The argument is the OpenMP thread count.
void BM_StreamTriad(benchmark::State& state) {
  const int threads = int(state.range(0));
  TriadArrays t(threads);
  double seconds = 0;
  for (auto _ : state) {
    const double s = triad_seconds(t.a, t.b, t.c, threads);
    state.SetIterationTime(s);
    seconds += s;
  }
  state.counters["GBps"] = kTriadBytes * double(state.iterations()) / seconds / 1e9;
  state.counters["best_GBps"] = stream_triad_bandwidth(threads) / 1e9;
}
BENCHMARK(BM_StreamTriad)->Arg(1)->Arg(2)->UseManualTime()->Unit(benchmark::kMillisecond);

void BM_FftCeiling(benchmark::State& state) {
  const int threads = omp_get_max_threads();
  omp_set_num_threads(int(state.range(0)));
  const std::size_t frames_count = kCeilingFramesPerThread * std::size_t(state.range(0));
  ArrayCF frames = ArrayCF::zeros(Shape{frames_count, kProbe, kProbe});
  fft_in_cache_seconds(frames);
  double seconds = 0;
  for (auto _ : state) {
    const double s = fft_in_cache_seconds(frames);
    state.SetIterationTime(s);
    seconds += s;
  }
  omp_set_num_threads(threads);
  const double flops = bench::fft_flops(double(frames_count), kProbe, kProbe);
  state.counters["GFLOPps"] = flops * double(state.iterations()) / seconds / 1e9;
  state.counters["best_GFLOPps"] = fft_ceiling(int(state.range(0))) / 1e9;
}
BENCHMARK(BM_FftCeiling)->Arg(1)->Arg(2)->UseManualTime()->Unit(benchmark::kMicrosecond);

// Steady-state iterations: the first, which pays for the setup, is left out of the timing.
// The argument is the OpenMP thread count.
void BM_CgObjectIteration(benchmark::State& state) {
  const Scan& s = scan();
  const int threads = omp_get_max_threads();
  omp_set_num_threads(int(state.range(0)));
  constexpr std::size_t kIterations = 6;
  double total_seconds = 0;
  for (auto _ : state) {
    ArrayCF object(Shape{kObject, kObject}), probe = s.probe.clone();
    for (auto& v : object.host_span()) v = {1.0f, 0.0f};
    std::chrono::steady_clock::time_point first;
    double seconds = 0;
    ptycho::reconstruct(s.patterns, s.positions, object, probe,
                        {.iterations = kIterations, .on_iteration = [&](const ptycho::CgIteration& it) {
                           const auto now = std::chrono::steady_clock::now();
                           if (it.iteration == 1) first = now;
                           seconds = std::chrono::duration<double>(now - first).count();
                         }});
    state.SetIterationTime(seconds / double(kIterations - 1));
    total_seconds += seconds / double(kIterations - 1);
  }
  omp_set_num_threads(threads);
  count_patterns(state);
  bench::report_roofline(state, bench::cg_object_iteration(kSize), total_seconds / double(state.iterations()),
                         stream_triad_bandwidth(int(state.range(0))), fft_ceiling(int(state.range(0))));
}
BENCHMARK(BM_CgObjectIteration)->Arg(1)->Arg(2)->UseManualTime()->Unit(benchmark::kMillisecond);

void BM_Stage_FftBatch(benchmark::State& state) {
  ArrayCF frames = ArrayCF::zeros(Shape{kPositions, kProbe, kProbe});
  const auto start = Clock::now();
  for (auto _ : state) {
    ptycho::detail::fft2_frames(frames.data(), kPositions, kProbe, kProbe, ptycho::detail::FftDirection::forward);
    benchmark::ClobberMemory();
  }
  const double seconds = seconds_since(start) / double(state.iterations());
  count_patterns(state);
  report_stage(state, "fft_forward", seconds);
}
BENCHMARK(BM_Stage_FftBatch)->Unit(benchmark::kMillisecond);

void BM_Stage_CropWindows(benchmark::State& state) {
  const Scan& s = scan();
  const auto start = Clock::now();
  for (auto _ : state) benchmark::DoNotOptimize(ptycho::detail::crop_windows(s.truth, s.positions, kProbe, kProbe));
  const double seconds = seconds_since(start) / double(state.iterations());
  count_patterns(state);
  report_stage(state, "crop_windows", seconds);
}
BENCHMARK(BM_Stage_CropWindows)->Unit(benchmark::kMillisecond);

void BM_Stage_ScatterWindows(benchmark::State& state) {
  const Scan& s = scan();
  const ArrayCF windows = ptycho::detail::crop_windows(s.truth, s.positions, kProbe, kProbe);
  ptycho::detail::ArrayCD object = ptycho::detail::zeros_double(s.truth.shape(), MemorySpace::host());
  const auto start = Clock::now();
  for (auto _ : state) {
    ptycho::detail::scatter_windows(windows, s.positions, object);
    benchmark::ClobberMemory();
  }
  const double seconds = seconds_since(start) / double(state.iterations());
  count_patterns(state);
  // The model's scatter also zeroes the gradient first (one more object pass of 16 B a pixel).
  report_stage(state, "scatter", seconds);
}
BENCHMARK(BM_Stage_ScatterWindows)->Unit(benchmark::kMillisecond);

// Pad and probe multiply, then the forward FFT batch: the direction's spectra.
void BM_Stage_Propagate(benchmark::State& state) {
  const Scan& s = scan();
  const ArrayCF windows = ptycho::detail::crop_windows(s.truth, s.positions, kProbe, kProbe);
  const auto start = Clock::now();
  for (auto _ : state) benchmark::DoNotOptimize(ptycho::detail::propagate(s.probe, windows, kProbe, kProbe));
  const double seconds = seconds_since(start) / double(state.iterations());
  count_patterns(state);
  report_stages(state, {"pad_multiply", "fft_forward"}, seconds);
}
BENCHMARK(BM_Stage_Propagate)->Unit(benchmark::kMillisecond);

// Accepting a step: object, windows and spectra each += gamma times their direction.
void BM_Stage_AcceptStep(benchmark::State& state) {
  const Scan& s = scan();
  ArrayCF object = s.truth.clone();
  ArrayCF windows = ptycho::detail::crop_windows(s.truth, s.positions, kProbe, kProbe);
  ArrayCF spectra = ptycho::farfield(s.truth, s.probe, s.positions);
  const ArrayCF object_step = object.clone(), windows_step = windows.clone(), spectra_step = spectra.clone();
  const auto start = Clock::now();
  for (auto _ : state) {
    ptycho::detail::axpy(1e-3, object_step, object);
    ptycho::detail::axpy(1e-3, windows_step, windows);
    ptycho::detail::axpy(1e-3, spectra_step, spectra);
    benchmark::ClobberMemory();
  }
  const double seconds = seconds_since(start) / double(state.iterations());
  count_patterns(state);
  report_stage(state, "accept", seconds);
}
BENCHMARK(BM_Stage_AcceptStep)->Unit(benchmark::kMillisecond);

void BM_Stage_Residual(benchmark::State& state) {
  const Scan& s = scan();
  const auto measured = ptycho::detail::measurements(s.patterns, ptycho::Likelihood::gaussian,
                                                     ptycho::detail::SpectrumOrder::fft);
  const ArrayCF spectra = ptycho::farfield(s.truth, s.probe, s.positions);
  const auto start = Clock::now();
  for (auto _ : state) benchmark::DoNotOptimize(ptycho::detail::residual(spectra, measured));
  const double seconds = seconds_since(start) / double(state.iterations());
  count_patterns(state);
  report_stage(state, "residual", seconds);
}
BENCHMARK(BM_Stage_Residual)->Unit(benchmark::kMillisecond);

void BM_Stage_LineSearchTrial(benchmark::State& state) {
  const Scan& s = scan();
  const auto measured = ptycho::detail::measurements(s.patterns, ptycho::Likelihood::gaussian,
                                                     ptycho::detail::SpectrumOrder::fft);
  const ArrayCF spectra = ptycho::farfield(s.truth, s.probe, s.positions);
  const auto start = Clock::now();
  for (auto _ : state) benchmark::DoNotOptimize(ptycho::detail::data_cost_change_along(spectra, spectra, 0.5, measured));
  const double seconds = seconds_since(start) / double(state.iterations());
  count_patterns(state);
  report_stage(state, "line_search", seconds);
}
BENCHMARK(BM_Stage_LineSearchTrial)->Unit(benchmark::kMillisecond);

// The allreduce of the object gradient (interleaved re, im doubles, CgOptions::
// all_reduce_object_gradient) between 2 ranks of the `threads` communicator. That backend
// (engine::ThreadCommunicator) lives in xrecon::engine, which the benchmarks do not link (they
// link xrecon::solvers only), so this times the same reduction built the same way: two meetings
// of the ranks, between them each rank sums its half of the elements over both ranks' buffers in
// double into a shared array, after the second each copies the whole sum into its buffer
// (engine/src/thread_communicator.cpp, reduce()). The meetings are a std::barrier here, a mutex
// and condition variable there: the same two handovers between threads.
class TwoRankAllreduce {
 public:
  explicit TwoRankAllreduce(std::size_t count) : sums_(count) {}

  // Sums `values` over the two ranks in place; rank 0's `stop` reaches rank 1 through the return.
  bool allreduce(int rank, std::span<double> values, bool stop = false) {
    posted_[std::size_t(rank)] = values;
    if (rank == 0) stop_ = stop;
    meet_.arrive_and_wait();
    const std::size_t count = values.size(), begin = count * std::size_t(rank) / 2,
                      end = count * std::size_t(rank + 1) / 2;
    for (std::size_t i = begin; i < end; ++i) sums_[i] = posted_[0][i] + posted_[1][i];
    const bool stopping = stop_;
    meet_.arrive_and_wait();
    std::copy(sums_.begin(), sums_.end(), values.begin());
    return stopping;
  }

 private:
  std::barrier<> meet_{2};
  std::span<double> posted_[2];
  bool stop_ = false;
  std::vector<double> sums_;
};

void BM_Stage_Communication(benchmark::State& state) {
  const std::size_t count = 2 * kObject * kObject;  // the object gradient as (re, im) doubles
  TwoRankAllreduce communicator(count);
  std::vector<double> mine(count, 1.0), theirs(count, 2.0);
  std::thread rank1([&] {
    while (!communicator.allreduce(1, theirs)) {
    }
  });
  for (auto _ : state) communicator.allreduce(0, mine);
  communicator.allreduce(0, mine, true);
  rank1.join();
  const double bytes = double(count * sizeof(double));
  state.counters["gradient_MB"] = bytes / 1e6;
  // Compulsory traffic of both ranks: read both buffers, write the sums, read them twice and
  // write both buffers.
  state.counters["GBps"] = benchmark::Counter(6 * bytes / 1e9, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Stage_Communication)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
