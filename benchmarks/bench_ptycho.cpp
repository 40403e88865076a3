// Ptychography CG at a CPU size: 64^2 probe and detector, 400 positions (20 x 20 raster, step
// 16, 75% linear overlap) over a 369^2 object. BM_CgObjectIteration is the time of one CG
// iteration (object step only) in steady state; the BM_Stage_* entries time the pieces one
// object step is made of, so the per-iteration figure can be broken down into FFT, element-wise
// and scatter work: one step = 2 FFT batches (gradient's inverse, direction's forward), a crop
// and a pad (the direction's exit waves), a residual, a scatter, and one cost evaluation per
// line-search trial (usually 1-2).
#include <benchmark/benchmark.h>
#include <omp.h>

#include <chrono>
#include <cmath>
#include <random>

// The stages are the solver's internal operators, not public API.
#include "../solvers/ptycho/farfield_fft.hpp"
#include "../solvers/ptycho/likelihood.hpp"
#include "../solvers/ptycho/operators.hpp"
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

// Steady-state iterations: the first, which pays for the setup, is left out of the timing.
// The argument is the OpenMP thread count.
void BM_CgObjectIteration(benchmark::State& state) {
  const Scan& s = scan();
  const int threads = omp_get_max_threads();
  omp_set_num_threads(int(state.range(0)));
  constexpr std::size_t kIterations = 6;
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
  }
  omp_set_num_threads(threads);
  count_patterns(state);
}
BENCHMARK(BM_CgObjectIteration)->Arg(1)->Arg(2)->UseManualTime()->Unit(benchmark::kMillisecond);

void BM_Stage_FftBatch(benchmark::State& state) {
  ArrayCF frames = ArrayCF::zeros(Shape{kPositions, kProbe, kProbe});
  for (auto _ : state) {
    ptycho::detail::fft2_frames(frames.data(), kPositions, kProbe, kProbe, ptycho::detail::FftDirection::forward);
    benchmark::ClobberMemory();
  }
  count_patterns(state);
}
BENCHMARK(BM_Stage_FftBatch)->Unit(benchmark::kMillisecond);

void BM_Stage_CropWindows(benchmark::State& state) {
  const Scan& s = scan();
  for (auto _ : state) benchmark::DoNotOptimize(ptycho::detail::crop_windows(s.truth, s.positions, kProbe, kProbe));
  count_patterns(state);
}
BENCHMARK(BM_Stage_CropWindows)->Unit(benchmark::kMillisecond);

void BM_Stage_ScatterWindows(benchmark::State& state) {
  const Scan& s = scan();
  const ArrayCF windows = ptycho::detail::crop_windows(s.truth, s.positions, kProbe, kProbe);
  ptycho::detail::ArrayCD object = ptycho::detail::zeros_double(s.truth.shape(), MemorySpace::host());
  for (auto _ : state) {
    ptycho::detail::scatter_windows(windows, s.positions, object);
    benchmark::ClobberMemory();
  }
  count_patterns(state);
}
BENCHMARK(BM_Stage_ScatterWindows)->Unit(benchmark::kMillisecond);

void BM_Stage_Residual(benchmark::State& state) {
  const Scan& s = scan();
  const auto measured = ptycho::detail::measurements(s.patterns, ptycho::Likelihood::gaussian,
                                                     ptycho::detail::SpectrumOrder::fft);
  const ArrayCF spectra = ptycho::farfield(s.truth, s.probe, s.positions);
  for (auto _ : state) benchmark::DoNotOptimize(ptycho::detail::residual(spectra, measured));
  count_patterns(state);
}
BENCHMARK(BM_Stage_Residual)->Unit(benchmark::kMillisecond);

void BM_Stage_LineSearchTrial(benchmark::State& state) {
  const Scan& s = scan();
  const auto measured = ptycho::detail::measurements(s.patterns, ptycho::Likelihood::gaussian,
                                                     ptycho::detail::SpectrumOrder::fft);
  const ArrayCF spectra = ptycho::farfield(s.truth, s.probe, s.positions);
  for (auto _ : state) benchmark::DoNotOptimize(ptycho::detail::data_cost_change_along(spectra, spectra, 0.5, measured));
  count_patterns(state);
}
BENCHMARK(BM_Stage_LineSearchTrial)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
